import { useApi } from '@backstage/core-plugin-api';
import { kargoWarehouseRefreshPermission } from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from '../KargoActions';
import { manageProject, SectionProps } from './types';

interface DiscoveredImages {
  images?: Array<{ repoURL: string; references?: Array<{ tag: string }> }>;
}

/** The settings of a warehouse a person edits: the rest of its spec is kept. */
const EDITABLE = [
  'interval',
  'freightCreationPolicy',
  'freightCreationCriteria',
  'subscriptions',
];
const editable = (spec: Record<string, unknown>) =>
  JSON.stringify(
    Object.fromEntries(EDITABLE.filter(k => k in spec).map(k => [k, spec[k]])),
    null,
    2,
  );

function Warehouse(
  props: SectionProps & {
    warehouse: SectionProps['settings']['warehouses'][number];
  },
) {
  const { warehouse, projectRef, reload } = props;
  const api = useApi(kargoApiRef);
  const [text, setText] = useState(() => editable(warehouse.spec));
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const manage = manageProject(props);
  const denied = props.settings.kargoAccess?.denied ?? {};
  const manual = warehouse.spec.freightCreationPolicy === 'Manual';
  const images =
    (warehouse.discoveredArtifacts as DiscoveredImages | undefined)?.images ??
    [];
  return (
    <Box mb={2}>
      <Typography variant="subtitle1">{warehouse.name}</Typography>
      <TextField
        id={`kargo-warehouse-${warehouse.name}-settings`}
        label={`Settings of ${warehouse.name} (JSON)`}
        multiline
        fullWidth
        minRows={4}
        variant="outlined"
        value={text}
        error={!parsed}
        helperText={
          parsed
            ? 'interval, freightCreationPolicy, freightCreationCriteria, subscriptions and their filters'
            : 'Not valid JSON'
        }
        onChange={e => setText(e.target.value)}
        inputProps={{ style: { fontFamily: 'monospace', fontSize: 12 } }}
      />
      <Box mt={1} mb={1}>
        <KargoActionButton
          {...manage}
          kargoDenied={denied.updateWarehouse}
          unavailableReason={parsed ? undefined : 'Fix the JSON first'}
          successMessage={`Warehouse ${warehouse.name} saved`}
          onClick={async () => {
            await api.updateWarehouse(projectRef, warehouse.name, parsed!);
            reload();
          }}
        >
          Save {warehouse.name}
        </KargoActionButton>{' '}
        <KargoActionButton
          permission={kargoWarehouseRefreshPermission}
          resourceRefs={[props.resourceRef]}
          successMessage={`Warehouse ${warehouse.name} refreshed`}
          onClick={async () => {
            await api.refreshWarehouse(projectRef, warehouse.name);
            reload();
          }}
        >
          Refresh {warehouse.name}
        </KargoActionButton>
      </Box>
      <Typography variant="body2">
        Discovered:{' '}
        {images.length === 0 && 'nothing yet (refresh the warehouse)'}
      </Typography>
      {images.map(i => (
        <Box key={i.repoURL} mb={1}>
          <Typography variant="body2">
            <code>{i.repoURL}</code>
          </Typography>
          {(i.references ?? []).slice(0, 10).map(r => (
            <Box component="span" key={r.tag} mr={1}>
              {manual ? (
                <KargoActionButton
                  {...manage}
                  kargoDenied={denied.createFreight}
                  variant="text"
                  successMessage={`Freight created from ${i.repoURL}:${r.tag}`}
                  onClick={async () => {
                    await api.assembleFreight(projectRef, warehouse.name, {
                      images: [{ repoURL: i.repoURL, tag: r.tag }],
                    });
                    reload();
                  }}
                >
                  Create freight {r.tag}
                </KargoActionButton>
              ) : (
                <code>{r.tag}</code>
              )}
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}

/**
 * Warehouses: subscriptions, filters and freight creation settings, edited as Kargo has them
 * (the backend validates and names the field at fault); what each discovered, and freight
 * assembled by hand where the policy is Manual.
 */
export function WarehousesSection(props: SectionProps) {
  return (
    <section aria-label="Warehouses">
      <Typography variant="h6">Warehouses</Typography>
      {props.settings.warehouses.map(w => (
        <Warehouse key={w.name} {...props} warehouse={w} />
      ))}
    </section>
  );
}
