import { useApi } from '@backstage/core-plugin-api';
import {
  kargoProjectResourceRef,
  kargoWarehouseRefreshPermission,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoProjectView } from '@kargo-backstage/plugin-kargo-common';
import Button from '@material-ui/core/Button';
import Divider from '@material-ui/core/Divider';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Tooltip from '@material-ui/core/Tooltip';
import ArrowDropDownIcon from '@material-ui/icons/ArrowDropDown';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { useKargoPermission } from '../../hooks/useKargoPermission';
import { KargoActionButton, useKargoAction } from './KargoActionButton';

/**
 * "Refresh <warehouse>": ask a warehouse to look for new artifacts now. One warehouse gets a
 * button; several get one "Refresh" button with a menu of them (and all at once), so the
 * toolbar stays one control wide however many warehouses the project has.
 */
export function WarehouseRefreshButtons(props: { view: KargoProjectView }) {
  const { view } = props;
  const kargoApi = useApi(kargoApiRef);
  const project = { instance: view.instance, project: view.project };
  const refs = [kargoProjectResourceRef(view.instance, view.project)];
  if (view.warehouses.length === 1) {
    const [w] = view.warehouses;
    return (
      <KargoActionButton
        permission={kargoWarehouseRefreshPermission}
        resourceRefs={refs}
        successMessage={`Warehouse ${w.name} is looking for new artifacts`}
        onClick={() => kargoApi.refreshWarehouse(project, w.name)}
      >
        Refresh {w.name}
      </KargoActionButton>
    );
  }
  return <WarehouseRefreshMenu view={view} />;
}

function WarehouseRefreshMenu(props: { view: KargoProjectView }) {
  const { view } = props;
  const kargoApi = useApi(kargoApiRef);
  const { loading, allowed } = useKargoPermission(
    kargoWarehouseRefreshPermission,
    [kargoProjectResourceRef(view.instance, view.project)],
  );
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { busy, run } = useKargoAction();
  const menuId = `${view.instance}-${view.project}-refresh-warehouses`;

  const refresh = (names: string[]) => {
    setAnchor(null);
    return run(
      () =>
        Promise.all(
          names.map(name =>
            kargoApi.refreshWarehouse(
              { instance: view.instance, project: view.project },
              name,
            ),
          ),
        ),
      names.length === 1
        ? `Warehouse ${names[0]} is looking for new artifacts`
        : `${names.length} warehouses are looking for new artifacts`,
    );
  };

  const denied = !loading && !allowed;
  const button = (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      aria-haspopup="menu"
      aria-controls={anchor ? menuId : undefined}
      endIcon={<ArrowDropDownIcon />}
      disabled={loading || !allowed || busy}
      onClick={e => setAnchor(e.currentTarget)}
    >
      Refresh warehouses
    </Button>
  );
  return (
    <>
      {denied ? (
        <Tooltip
          title={`You are not allowed to do this (${kargoWarehouseRefreshPermission.name})`}
        >
          <span>{button}</span>
        </Tooltip>
      ) : (
        button
      )}
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
        getContentAnchorEl={null}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
        transformOrigin={{ vertical: 'top', horizontal: 'left' }}
      >
        {view.warehouses.map(w => (
          <MenuItem key={w.name} onClick={() => refresh([w.name])}>
            Refresh {w.name}
          </MenuItem>
        ))}
        <Divider />
        <MenuItem onClick={() => refresh(view.warehouses.map(w => w.name))}>
          Refresh all {view.warehouses.length}
        </MenuItem>
      </Menu>
    </>
  );
}
