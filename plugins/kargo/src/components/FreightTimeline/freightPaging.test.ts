import { moreFreight, nextFreightLimit } from './freightPaging';

describe('freight paging', () => {
  it('asks for 50 more per warehouse each time, up to the backend cap of 500', () => {
    expect(nextFreightLimit(undefined)).toBe(100);
    expect(nextFreightLimit(450)).toBe(500);
    expect(nextFreightLimit(480)).toBe(500);
  });

  it('offers "Load more" below the cap, Kargo above it, nothing when all is shown', () => {
    const paging = { total: { cart: 700 }, limit: 450, onLoadMore() {} };
    expect(moreFreight(paging, 'cart', 450)).toEqual({
      kind: 'load',
      notShown: 250,
    });
    expect(moreFreight({ ...paging, limit: 500 }, 'cart', 500)).toEqual({
      kind: 'inKargo',
      notShown: 200,
    });
    expect(
      moreFreight({ ...paging, onLoadMore: undefined }, 'cart', 450).kind,
    ).toBe('inKargo');
    expect(moreFreight(paging, 'cart', 700).kind).toBe('none');
    expect(moreFreight(undefined, 'cart', 1).kind).toBe('none');
  });
});
