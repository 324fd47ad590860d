import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { freezeLabel, StageFreeze } from './StageFreeze';

describe('StageFreeze', () => {
  it('freezes a stage until a time, with a reason', async () => {
    const view = shopView();
    const createPromotionWindow = jest.fn(
      async (..._args: any[]): Promise<any> => ({}),
    );
    await renderWithKargo(<StageFreeze view={view} stage={view.stages[3]} />, {
      api: { createPromotionWindow },
    });
    expect(screen.getByText('Open for promotion.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Freeze until'), {
      target: { value: '2099-01-01T12:00' },
    });
    fireEvent.change(screen.getByLabelText('Reason'), {
      target: { value: 'Release rehearsal' },
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Freeze now' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Freeze now' }));
    await waitFor(() => expect(createPromotionWindow).toHaveBeenCalled());
    expect(createPromotionWindow.mock.calls[0][1]).toMatchObject({
      kind: 'Deny',
      stageSelector: { name: 'prod' },
      dtend: new Date('2099-01-01T12:00').toISOString(),
      reason: 'Release rehearsal',
    });
  });

  it('shows why a stage is frozen and ends the window', async () => {
    const view = shopView();
    const stage = {
      ...view.stages[3],
      promotionWindow: {
        open: false,
        closedBy: [
          {
            name: 'year-end',
            kind: 'Deny' as const,
            reason: 'Year-end freeze',
          },
        ],
        nextChange: '2027-01-05T00:00:00.000Z',
      },
    };
    const deletePromotionWindow = jest.fn(async () => {});
    await renderWithKargo(<StageFreeze view={view} stage={stage} />, {
      api: { deletePromotionWindow },
    });
    expect(
      screen.getByText(/^Frozen \(Year-end freeze\) until/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'End year-end' }),
      ).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'End year-end' }));
    await waitFor(() =>
      expect(deletePromotionWindow).toHaveBeenCalledWith(
        { instance: 'sim', project: 'shop' },
        'year-end',
      ),
    );
  });

  it('leaves ending stop-the-line to its banner', async () => {
    const view = shopView();
    const stage = {
      ...view.stages[3],
      promotionWindow: {
        open: false,
        closedBy: [
          {
            name: 'stop-the-line',
            kind: 'Deny' as const,
            reason: 'Incident 42',
          },
        ],
      },
    };
    await renderWithKargo(<StageFreeze view={view} stage={stage} />);
    expect(screen.getByText('Frozen (Incident 42)')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^End / }),
    ).not.toBeInTheDocument();
  });

  it('warns of a freeze coming within a day', () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    expect(freezeLabel({ open: true, closedBy: [], nextChange: soon })).toMatch(
      /^Freezes at /,
    );
    expect(
      freezeLabel({
        open: true,
        closedBy: [],
        nextChange: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      }),
    ).toBeUndefined();
  });
  it('says why a window that cannot be evaluated closes the stage', () => {
    expect(
      freezeLabel({
        open: false,
        closedBy: [
          {
            name: 'every-second',
            kind: 'Deny',
            problem: 'rrule: too many occurrences to evaluate',
          },
        ],
      }),
    ).toBe('Frozen (every-second: rrule: too many occurrences to evaluate)');
  });
});
