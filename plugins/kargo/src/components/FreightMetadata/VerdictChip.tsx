import type { FreightVerdict } from '@kargo-backstage/plugin-kargo-common';
import Chip from '@material-ui/core/Chip';

/** "recommended" in green, "do not promote" in red, the reason on hover. */
export function VerdictChip(props: { verdict: FreightVerdict }) {
  const { verdict } = props;
  const bad = verdict.value === 'do-not-promote';
  return (
    <Chip
      component="span"
      size="small"
      label={bad ? 'do not promote' : 'recommended'}
      title={verdict.reason}
      style={{
        background: bad ? '#d32f2f' : '#2e7d32',
        color: '#fff',
      }}
    />
  );
}
