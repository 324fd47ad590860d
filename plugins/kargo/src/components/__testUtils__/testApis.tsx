import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { identityApiRef } from '@backstage/core-plugin-api';
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

/** alex, a release manager: whom the tests sign in as unless told. */
const RELEASE_MANAGER = {
  userEntityRef: 'user:default/alex',
  ownershipEntityRefs: ['user:default/alex', 'group:default/release-managers'],
};

/**
 * Renders with a Kargo API (every call fails unless given), a permission policy and a
 * signed-in user.
 */
export function renderWithKargo(
  ui: ReactElement,
  options: {
    api?: Partial<KargoApi>;
    identity?: { userEntityRef: string; ownershipEntityRefs: string[] };
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
        [
          identityApiRef,
          mockApis.identity(options.identity ?? RELEASE_MANAGER),
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
