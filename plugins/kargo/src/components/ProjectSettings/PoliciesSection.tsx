import { useApi } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from '../KargoActions';
import { freezeLabel } from '../StageFreeze';
import { SectionProps } from './types';
import {
  kargoStageManagePermission,
  kargoStageResourceRef,
} from '@kargo-backstage/plugin-kargo-common';

/** Auto-promotion per stage (ProjectConfig promotion policies), beside its freeze state. */
export function PoliciesSection(props: SectionProps) {
  const { settings, projectRef, reload } = props;
  const api = useApi(kargoApiRef);
  return (
    <section aria-label="Promotion policies">
      <Typography variant="h6">Promotion policies</Typography>
      <Table size="small" aria-label="Auto-promotion per stage">
        <TableHead>
          <TableRow>
            <TableCell>Stage</TableCell>
            <TableCell>Auto-promotion</TableCell>
            <TableCell>Policy</TableCell>
            <TableCell>Freeze</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {settings.stages.map(s => (
            <TableRow key={s.stage}>
              <TableCell>{s.stage}</TableCell>
              <TableCell>
                {s.autoPromotionEnabled ? 'on' : 'off'}
                {s.heldByFreeze && ' (held off by a freeze until it ends)'}{' '}
                <KargoActionButton
                  // Auto-promotion promotes into the stage: the backend checks it per stage too.
                  permission={kargoStageManagePermission}
                  resourceRefs={[
                    kargoStageResourceRef(
                      projectRef.instance,
                      projectRef.project,
                      s.stage,
                    ),
                  ]}
                  kargoDenied={
                    settings.kargoAccess?.denied.updatePromotionPolicies
                  }
                  successMessage={`Auto-promotion of ${s.stage} turned ${
                    s.autoPromotionEnabled ? 'off' : 'on'
                  }`}
                  onClick={async () => {
                    await api.setAutoPromotion(
                      projectRef,
                      s.stage,
                      !s.autoPromotionEnabled,
                    );
                    reload();
                  }}
                >
                  {s.autoPromotionEnabled ? 'Turn off' : 'Turn on'} for{' '}
                  {s.stage}
                </KargoActionButton>
              </TableCell>
              <TableCell>{s.policy ?? 'none (off)'}</TableCell>
              <TableCell>{freezeLabel(s.promotionWindow) ?? 'open'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
