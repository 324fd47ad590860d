import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { FreightMetadataPanel } from './FreightMetadataPanel';
import { fromForm, toForm } from './metadataForm';

function withMetadata() {
  const view = shopView();
  const freight = view.freight[0];
  freight.portalMetadata = {
    freight: freight.name,
    notes: 'Fixes **login**',
    links: [{ title: 'CHG-1', url: 'https://tickets.example.com/CHG-1' }],
    labels: { risk: 'low' },
    verdict: { value: 'recommended' },
    version: 3,
    updatedBy: 'user:default/dana',
    updatedAt: '2026-11-25T10:00:00Z',
    enrichments: {
      changelog: {
        notes: '- image: 2.4.0 → 2.4.1',
        at: '2026-11-25T09:00:00Z',
      },
    },
  };
  return { view, freight };
}

describe('FreightMetadataPanel', () => {
  it("shows the portal's metadata, enrichments and Kargo's own, and saves an edit over its version", async () => {
    const { view, freight } = withMetadata();
    const updateFreightMetadata = jest.fn(async () => freight.portalMetadata!);
    await renderWithKargo(
      <FreightMetadataPanel view={view} freight={freight} />,
      { api: { updateFreightMetadata } },
    );
    expect(screen.getByText('login')).toBeInTheDocument();
    expect(screen.getByText('recommended')).toBeInTheDocument();
    expect(screen.getByText('risk=low')).toBeInTheDocument();
    expect(screen.getByText('CHG-1').closest('a')).toHaveAttribute(
      'href',
      'https://tickets.example.com/CHG-1',
    );
    expect(screen.getByText('From changelog')).toBeInTheDocument();
    expect(
      screen.getByText('Metadata from Kargo (read-only)'),
    ).toBeInTheDocument();

    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByLabelText('Labels, one key=value per line'), {
      target: { value: 'risk=high\nchange=CHG-9' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(updateFreightMetadata).toHaveBeenCalled());
    expect(updateFreightMetadata).toHaveBeenCalledWith(
      { instance: 'sim', project: 'shop' },
      freight.name,
      expect.objectContaining({
        version: 3,
        labels: { risk: 'high', change: 'CHG-9' },
        notes: 'Fixes **login**',
      }),
    );
  });

  it('shows a conflict from the backend, and keeps the form', async () => {
    const { view, freight } = withMetadata();
    const updateFreightMetadata = jest.fn(async () => {
      throw Object.assign(new Error('409'), {
        body: { error: { message: 'The metadata changed (now version 4)' } },
      });
    });
    await renderWithKargo(
      <FreightMetadataPanel view={view} freight={freight} />,
      { api: { updateFreightMetadata } },
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('The metadata changed (now version 4)'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
  });

  it('does not let a denied user edit', async () => {
    const { view, freight } = withMetadata();
    await renderWithKargo(
      <FreightMetadataPanel view={view} freight={freight} />,
      { authorize: AuthorizeResult.DENY },
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled(),
    );
  });
});

describe('metadataForm', () => {
  it('round-trips, and names the line it cannot read', () => {
    const { freight } = withMetadata();
    const form = toForm(freight.portalMetadata);
    expect(fromForm(form, 3)).toEqual({
      version: 3,
      notes: 'Fixes **login**',
      labels: { risk: 'low' },
      links: [{ title: 'CHG-1', url: 'https://tickets.example.com/CHG-1' }],
      verdict: { value: 'recommended', reason: undefined },
    });
    expect(() => fromForm({ ...form, labels: 'nokey' }, 3)).toThrow(
      'Label "nokey" is not key=value',
    );
    expect(fromForm({ ...form, verdict: '' }, 3).verdict).toBeNull();
  });
});
