import { Entity } from '@backstage/catalog-model';
import { isKargoAvailable, kargoPlugin, EntityKargoContent } from '.';

const withAnnotations = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'guestbook', annotations },
});

describe('kargo plugin exports', () => {
  it('identifies the plugin and its entity tab', () => {
    expect(kargoPlugin.getId()).toBe('kargo');
    expect(typeof EntityKargoContent).toBe('function');
  });

  it('offers the tab only for entities with a Kargo project', () => {
    expect(
      isKargoAvailable(
        withAnnotations({ 'kargo.akuity.io/project': 'kargo-demo' }),
      ),
    ).toBe(true);
    expect(isKargoAvailable(withAnnotations())).toBe(false);
    expect(
      isKargoAvailable(withAnnotations({ 'kargo.akuity.io/stages': 'test' })),
    ).toBe(false);
  });
});
