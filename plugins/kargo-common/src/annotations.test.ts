import { Entity } from '@backstage/catalog-model';
import { getKargoAnnotations } from './annotations';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'guestbook', annotations },
});

describe('getKargoAnnotations', () => {
  it('returns undefined without a project annotation', () => {
    expect(getKargoAnnotations(entity())).toBeUndefined();
    expect(
      getKargoAnnotations(entity({ 'kargo.akuity.io/project': ' , ' })),
    ).toBeUndefined();
  });

  it('splits comma-separated lists and trims them', () => {
    expect(
      getKargoAnnotations(
        entity({
          'kargo.akuity.io/project': 'kargo-demo, microservices',
          'kargo.akuity.io/stages': 'test,uat',
          'kargo.akuity.io/warehouses': 'checkout',
          'kargo.akuity.io/instance': ' prod-kargo ',
        }),
      ),
    ).toEqual({
      projects: ['kargo-demo', 'microservices'],
      stages: ['test', 'uat'],
      warehouses: ['checkout'],
      instance: 'prod-kargo',
    });
  });

  it('leaves optional parts undefined', () => {
    expect(
      getKargoAnnotations(entity({ 'kargo.akuity.io/project': 'kargo-demo' })),
    ).toEqual({
      projects: ['kargo-demo'],
      stages: undefined,
      warehouses: undefined,
      instance: undefined,
    });
  });
});
