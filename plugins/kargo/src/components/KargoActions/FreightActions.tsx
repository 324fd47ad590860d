import { useApi } from '@backstage/core-plugin-api';
import {
  kargoFreightAliasUpdatePermission,
  kargoFreightApprovePermission,
  kargoFreightPromotePermission,
  kargoProjectResourceRef,
  kargoStageResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import type {
  FreightView,
  KargoProjectView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from './KargoActionButton';

export interface FreightActionsProps {
  view: KargoProjectView;
  freight: FreightView;
  /** Opens the promote dialog for this freight and stage. */
  onPromote(stage: string): void;
}

/** Promote, approve and alias one piece of freight. */
export function FreightActions(props: FreightActionsProps) {
  const { view, freight } = props;
  const kargoApi = useApi(kargoApiRef);
  const denied = view.kargoAccess?.denied ?? {};
  const ref = { instance: view.instance, project: view.project };
  const stages = view.stages
    .filter(
      s =>
        !s.controlFlow &&
        s.requestedFreight.some(r => r.origin.name === freight.origin.name),
    )
    .map(s => s.name);
  const [stage, setStage] = useState(stages[0] ?? '');
  const [alias, setAlias] = useState(freight.alias ?? '');
  const stageRefs = stage
    ? [kargoStageResourceRef(view.instance, view.project, stage)]
    : [];

  return (
    <Box display="grid" style={{ gap: 12 }} marginY={2}>
      <Box display="flex" alignItems="flex-end" style={{ gap: 8 }}>
        <FormControl size="small" style={{ minWidth: 160 }}>
          <InputLabel id={`stage-for-${freight.name}`}>Stage</InputLabel>
          <Select
            labelId={`stage-for-${freight.name}`}
            value={stage}
            onChange={e => setStage(e.target.value as string)}
          >
            {stages.map(s => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <KargoActionButton
          permission={kargoFreightPromotePermission}
          resourceRefs={stageRefs}
          variant="contained"
          onClick={() => props.onPromote(stage)}
          kargoDenied={denied.promote}
        >
          Promote…
        </KargoActionButton>
        <KargoActionButton
          permission={kargoFreightApprovePermission}
          resourceRefs={stageRefs}
          unavailableReason={
            stage in freight.approvedFor
              ? `Already approved for ${stage}`
              : undefined
          }
          kargoDenied={denied.approve}
          successMessage={`Approved for ${stage}`}
          onClick={() => kargoApi.approveFreight(ref, freight.name, stage)}
        >
          Approve
        </KargoActionButton>
      </Box>
      <Box display="flex" alignItems="flex-end" style={{ gap: 8 }}>
        <TextField
          size="small"
          id={`alias-${freight.name}`}
          label="Alias"
          value={alias}
          inputProps={{ maxLength: 63 }}
          onChange={e => setAlias(e.target.value)}
        />
        <KargoActionButton
          permission={kargoFreightAliasUpdatePermission}
          resourceRefs={[kargoProjectResourceRef(view.instance, view.project)]}
          unavailableReason={
            !alias || alias === freight.alias ? 'Type a new alias' : undefined
          }
          kargoDenied={denied.updateFreightAlias}
          successMessage={`Alias set to ${alias}`}
          onClick={() => kargoApi.updateFreightAlias(ref, freight.name, alias)}
        >
          Set alias
        </KargoActionButton>
      </Box>
    </Box>
  );
}
