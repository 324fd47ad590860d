import { useApi } from '@backstage/core-plugin-api';
import {
  kargoProjectResourceRef,
  kargoWarehouseRefreshPermission,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoProjectView } from '@kargo-backstage/plugin-kargo-common';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from './KargoActionButton';

/** "Refresh <warehouse>": ask each warehouse to look for new artifacts now. */
export function WarehouseRefreshButtons(props: { view: KargoProjectView }) {
  const { view } = props;
  const kargoApi = useApi(kargoApiRef);
  const refs = [kargoProjectResourceRef(view.instance, view.project)];
  return (
    <>
      {view.warehouses.map(w => (
        <KargoActionButton
          key={w.name}
          permission={kargoWarehouseRefreshPermission}
          resourceRefs={refs}
          successMessage={`Warehouse ${w.name} is looking for new artifacts`}
          onClick={() =>
            kargoApi.refreshWarehouse(
              { instance: view.instance, project: view.project },
              w.name,
            )
          }
        >
          Refresh {w.name}
        </KargoActionButton>
      ))}
    </>
  );
}
