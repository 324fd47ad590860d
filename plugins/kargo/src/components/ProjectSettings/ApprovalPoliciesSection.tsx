import { useApi } from '@backstage/core-plugin-api';
import type {
  ApprovalPolicy,
  KargoStageSelector,
} from '@kargo-backstage/plugin-kargo-common';
import TableCell from '@material-ui/core/TableCell';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kargoApiRef } from '../../api';
import { shortRef } from '../Approvals';
import { FlexRow } from '../FlexRow';
import { errorMessage, KargoActionButton } from '../KargoActions';
import { SettingsTable } from './SettingsTable';
import { manageProject, SectionProps } from './types';

const EMPTY = {
  name: '',
  stageName: '',
  approvals: '1',
  groups: '',
  expiresAfter: '',
};
type Form = typeof EMPTY;

// Light checks for quick feedback; the backend validates the policy in full.
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** What is wrong with the form, or the policy it describes. */
export function approvalPolicyFrom(
  form: Form,
): { problem: string } | { policy: ApprovalPolicy } {
  const name = form.name.trim();
  const approvals = Number(form.approvals);
  const groups = form.groups
    .split(',')
    .map(g => g.trim())
    .filter(Boolean);
  const expiresAfter = form.expiresAfter.trim();
  if (!OBJECT_NAME.test(name)) {
    return {
      problem: 'A name of lower-case letters, digits and dashes (up to 63)',
    };
  }
  if (!Number.isInteger(approvals) || approvals < 1 || approvals > 10) {
    return { problem: 'Approvals: a whole number from 1 to 10' };
  }
  if (!groups.length) return { problem: 'Name the groups that approve' };
  if (expiresAfter && !GO_DURATION.test(expiresAfter)) {
    return { problem: 'Expires after: a duration such as 24h or 90m' };
  }
  return {
    policy: {
      name,
      ...(form.stageName.trim()
        ? { stageSelector: { name: form.stageName.trim() } }
        : {}),
      approvals,
      groups,
      ...(expiresAfter ? { expiresAfter } : {}),
    },
  };
}

function selectorLabel(selector?: KargoStageSelector): string {
  const parts = [
    ...(selector?.name ? [selector.name] : []),
    ...Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.length ? parts.join(', ') : 'every stage';
}

/**
 * Approval policies, kept by the portal: promoting into a stage a policy selects needs that
 * many approvals from members of its groups. List, create, delete.
 */
export function ApprovalPoliciesSection(props: SectionProps) {
  const { projectRef } = props;
  const api = useApi(kargoApiRef);
  const [form, setForm] = useState(EMPTY);
  const policies = useAsyncRetry(
    () => api.listApprovalPolicies(projectRef),
    [api, projectRef.instance, projectRef.project],
  );
  const parsed = approvalPolicyFrom(form);
  const selects = (policy: string) =>
    Object.entries(policies.value?.stages ?? {})
      .filter(([, names]) => names.includes(policy))
      .map(([stage]) => stage)
      .sort();
  const field = (key: keyof Form, label: string, placeholder?: string) => (
    <TextField
      id={`kargo-approval-policy-new-${key}`}
      size="small"
      label={label}
      placeholder={placeholder}
      InputLabelProps={placeholder ? { shrink: true } : undefined}
      type={key === 'approvals' ? 'number' : 'text'}
      value={form[key]}
      onChange={e => setForm({ ...form, [key]: e.target.value })}
    />
  );

  return (
    <section aria-label="Approval policies">
      <Typography variant="h6">Approval policies</Typography>
      <Typography variant="body2" color="textSecondary">
        Promoting freight into a stage a policy selects needs approval from
        members of its groups (never the requester's own).
      </Typography>
      {policies.error && (
        <Alert severity="warning">
          Could not read the approval policies: {errorMessage(policies.error)}
        </Alert>
      )}
      {policies.value && (
        <SettingsTable
          label="Approval policies"
          columns={[
            'Name',
            'Stage selector',
            'Selects',
            'Approvals',
            'Groups',
            'Expires after',
            'Created by',
            '',
          ]}
          items={policies.value.items}
        >
          {p => (
            <>
              <TableCell>{p.name}</TableCell>
              <TableCell>
                <code>{selectorLabel(p.stageSelector)}</code>
              </TableCell>
              <TableCell>{selects(p.name).join(', ') || 'no stage'}</TableCell>
              <TableCell>{p.approvals}</TableCell>
              <TableCell>{p.groups.map(shortRef).join(', ')}</TableCell>
              <TableCell>{p.expiresAfter ?? 'never'}</TableCell>
              <TableCell>{shortRef(p.createdBy)}</TableCell>
              <TableCell>
                <KargoActionButton
                  {...manageProject(props)}
                  color="secondary"
                  successMessage={`Approval policy ${p.name} deleted`}
                  onClick={async () => {
                    await api.deleteApprovalPolicy(projectRef, p.name);
                    policies.retry();
                  }}
                >
                  Delete {p.name}
                </KargoActionButton>
              </TableCell>
            </>
          )}
        </SettingsTable>
      )}
      {policies.value?.items.length === 0 && (
        <Typography color="textSecondary">
          No approval policy: promotions need no approval.
        </Typography>
      )}
      <FlexRow wrap alignItems="center" mt={1} gap={8}>
        {field('name', 'Policy name')}
        {field('stageName', 'Stages (name or pattern)', 'glob:prod-*')}
        {field('approvals', 'Approvals')}
        {field('groups', 'Groups (comma separated)', 'release-managers')}
        {field('expiresAfter', 'Expires after', '24h')}
        <KargoActionButton
          {...manageProject(props)}
          unavailableReason={'problem' in parsed ? parsed.problem : undefined}
          successMessage={`Approval policy ${form.name.trim()} created`}
          onClick={async () => {
            if (!('policy' in parsed)) return;
            await api.createApprovalPolicy(projectRef, parsed.policy);
            setForm(EMPTY);
            policies.retry();
          }}
        >
          Add approval policy
        </KargoActionButton>
      </FlexRow>
    </section>
  );
}
