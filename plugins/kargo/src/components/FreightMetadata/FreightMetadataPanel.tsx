import {
  MarkdownContent,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  kargoFreightMetadataUpdatePermission,
  kargoProjectResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import type {
  FreightView,
  KargoProjectView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { useKargoPermission } from '../../hooks/useKargoPermission';
import { errorMessage } from '../KargoActions';
import { markdownLinkUri, SafeLink } from '../SafeLink';
import { VerdictChip } from './VerdictChip';
import { fromForm, MetadataFormValues, toForm } from './metadataForm';

export interface FreightMetadataPanelProps {
  view: KargoProjectView;
  freight: FreightView;
}

/**
 * What people and enrichers know about a piece of freight (editable by permitted users), next
 * to Kargo's own `status.metadata` (read-only).
 */
export function FreightMetadataPanel(props: FreightMetadataPanelProps) {
  const { view, freight } = props;
  const kargoApi = useApi(kargoApiRef);
  const metadata = freight.portalMetadata;
  const permission = useKargoPermission(kargoFreightMetadataUpdatePermission, [
    kargoProjectResourceRef(view.instance, view.project),
  ]);
  const [form, setForm] = useState<MetadataFormValues>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (!form) return;
    setSaving(true);
    setError(undefined);
    try {
      await kargoApi.updateFreightMetadata(
        { instance: view.instance, project: view.project },
        freight.name,
        fromForm(form, metadata?.version ?? 0),
      );
      setForm(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  const field = (key: keyof MetadataFormValues) => ({
    value: form?.[key] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm({ ...form!, [key]: e.target.value }),
  });

  return (
    <div>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="h6">Notes from the portal</Typography>
        {metadata?.verdict && <VerdictChip verdict={metadata.verdict} />}
        {!form && (
          <Button
            size="small"
            disabled={!permission.allowed}
            title={
              permission.allowed
                ? undefined
                : `You are not allowed to edit (${kargoFreightMetadataUpdatePermission.name})`
            }
            onClick={() => setForm(toForm(metadata))}
          >
            Edit
          </Button>
        )}
      </Box>
      {form ? (
        <Box display="grid" style={{ gap: 12 }} marginY={1}>
          <TextField
            id="freight-notes"
            label="Notes (markdown)"
            multiline
            minRows={3}
            {...field('notes')}
          />
          <TextField
            id="freight-labels"
            label="Labels, one key=value per line"
            multiline
            {...field('labels')}
          />
          <TextField
            id="freight-links"
            label="Links, one “title | https://…” per line"
            multiline
            {...field('links')}
          />
          <TextField
            id="freight-verdict"
            select
            label="Verdict"
            {...field('verdict')}
          >
            <MenuItem value="">none</MenuItem>
            <MenuItem value="recommended">recommended</MenuItem>
            <MenuItem value="do-not-promote">do not promote</MenuItem>
          </TextField>
          {form.verdict && (
            <TextField id="freight-reason" label="Why" {...field('reason')} />
          )}
          {error && <Alert severity="error">{error}</Alert>}
          <Box display="flex" style={{ gap: 8 }}>
            <Button
              color="primary"
              variant="contained"
              disabled={saving}
              onClick={save}
            >
              Save
            </Button>
            <Button onClick={() => setForm(undefined)}>Cancel</Button>
          </Box>
        </Box>
      ) : (
        <>
          {!metadata?.version &&
            !Object.keys(metadata?.enrichments ?? {}).length && (
              <Typography color="textSecondary">
                Nothing written yet.
              </Typography>
            )}
          {metadata?.verdict?.reason && (
            <Typography>Verdict: {metadata.verdict.reason}</Typography>
          )}
          {metadata?.notes && (
            <MarkdownContent
              content={metadata.notes}
              transformLinkUri={markdownLinkUri}
            />
          )}
          <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
            {Object.entries(metadata?.labels ?? {}).map(([k, v]) => (
              <Chip key={k} size="small" label={`${k}=${v}`} />
            ))}
          </Box>
          {metadata?.links.map(l => (
            <div key={l.url}>
              <SafeLink to={l.url}>{l.title}</SafeLink>
            </div>
          ))}
          {metadata?.updatedBy && (
            <Typography variant="caption" color="textSecondary">
              Version {metadata.version}, by {metadata.updatedBy} at{' '}
              {metadata.updatedAt}
            </Typography>
          )}
          {Object.entries(metadata?.enrichments ?? {}).map(([name, e]) => (
            <Box key={name} marginTop={1}>
              <Typography variant="subtitle2">From {name}</Typography>
              {e.notes && (
                <MarkdownContent
                  content={e.notes}
                  transformLinkUri={markdownLinkUri}
                />
              )}
              {e.links?.map(l => (
                <div key={l.url}>
                  <SafeLink to={l.url}>{l.title}</SafeLink>
                </div>
              ))}
            </Box>
          ))}
        </>
      )}
      <Box marginTop={3}>
        <Typography variant="h6">Metadata from Kargo (read-only)</Typography>
        {Object.keys(freight.metadata).length ? (
          <StructuredMetadataTable
            metadata={Object.fromEntries(
              Object.entries(freight.metadata).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : JSON.stringify(v),
              ]),
            )}
          />
        ) : (
          <Typography color="textSecondary">
            No metadata set by promotion steps.
          </Typography>
        )}
      </Box>
    </div>
  );
}
