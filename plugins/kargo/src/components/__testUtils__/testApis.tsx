import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { ReactElement } from 'react';
import { KargoApi, kargoApiRef } from '../../api';
import { testKargoApi } from './testViews';

/** Renders with a Kargo API (every call fails unless given) and a permission policy. */
export function renderWithKargo(
  ui: ReactElement,
  options: {
    api?: Partial<KargoApi>;
    authorize?:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | ((
          request: EvaluatePermissionRequest,
        ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kargoApiRef, testKargoApi(options.api)],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      {ui}
    </TestApiProvider>,
  );
}

/** Opens a freight's drawer from its timeline card (`Freight <alias> <version>`) and waits for it. */
export async function openFreightDrawer(alias: string, version: string) {
  fireEvent.click(
    within(
      screen.getByRole('listitem', { name: `Freight ${alias} ${version}` }),
    ).getByRole('button'),
  );
  expect(
    await screen.findByText(`Freight ${alias} · ${version}`),
  ).toBeInTheDocument();
}
