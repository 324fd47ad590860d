import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { KargoApi, kargoApiRef } from '../../api';
import { EntityKargoContent } from './EntityKargoContent';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'guestbook', annotations },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
});

function renderContent(e: Entity, api: KargoApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[kargoApiRef, api]]}>
      <EntityProvider entity={e}>
        <EntityKargoContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityKargoContent', () => {
  const healthy: KargoApi = { getHealth: async () => ({ status: 'ok' }) };

  it('shows each annotated project', async () => {
    await renderContent(
      entity({
        'kargo.akuity.io/project': 'kargo-demo,microservices',
        'kargo.akuity.io/warehouses': 'checkout',
      }),
      healthy,
    );
    expect(
      await screen.findByText('Kargo · project kargo-demo'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Kargo · project microservices'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('checkout')).toHaveLength(2);
  });

  it('explains the missing annotation', async () => {
    await renderContent(entity(), healthy);
    expect(
      await screen.findAllByText(/kargo\.akuity\.io\/project/),
    ).not.toHaveLength(0);
  });

  it('shows the backend error instead of a blank page', async () => {
    await renderContent(entity({ 'kargo.akuity.io/project': 'kargo-demo' }), {
      getHealth: async () => {
        throw new Error('backend unreachable');
      },
    });
    expect(await screen.findAllByText(/backend unreachable/)).not.toHaveLength(
      0,
    );
    expect(screen.queryByText(/Kargo · project/)).not.toBeInTheDocument();
  });
});
