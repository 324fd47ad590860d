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
