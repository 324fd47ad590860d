import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TableCell from '@material-ui/core/TableCell';
import Typography from '@material-ui/core/Typography';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from '../KargoActions';
import { RowField, useRowDrafts } from './RowField';
import { SettingsTable } from './SettingsTable';
import { manageProject, SectionProps } from './types';

/** A claim value back as the portal subject it stands for, where that is clear. */
function subjectOf(
  claim: string,
  value: string,
  groupsClaim: string,
): string | undefined {
  if (claim === groupsClaim) return `group:default/${value}`;
  if (claim === 'sub') return `user:default/${value}`;
  return undefined;
}

/**
 * The project's Kargo roles and the OIDC claims bound to them; grant a role to portal groups or
 * users (the service's owners in one click), revoke a grant.
 */
export function RolesSection(props: SectionProps) {
  const { settings, projectRef, reload } = props;
  const api = useApi(kargoApiRef);
  const subject = useRowDrafts();
  const manage = {
    ...manageProject(props),
    kargoDenied: settings.kargoAccess?.denied.grantRoles,
  };
  const change = async (
    role: string,
    kind: 'grants' | 'revocations',
    subjects: string[],
  ) => {
    await api.changeRoleGrants(projectRef, role, kind, subjects);
    reload();
  };

  return (
    <section aria-label="Roles">
      <Typography variant="h6">Roles</Typography>
      <Typography variant="body2" color="textSecondary">
        Groups are granted through the <code>{settings.groupsClaim}</code>{' '}
        claim, users through their email (or subject). Owners of the service:{' '}
        {settings.owners.join(', ') || 'none'}.
      </Typography>
      <SettingsTable
        label="Kargo roles"
        columns={['Role', 'Granted to', 'Grant']}
        items={settings.roles}
      >
        {role => (
          <>
            <TableCell>{role.name}</TableCell>
            <TableCell>
              {role.claims.length === 0 && (
                <Typography variant="body2" color="textSecondary">
                  nobody
                </Typography>
              )}
              {role.claims.flatMap(c =>
                c.values.map(v => {
                  const who = subjectOf(c.name, v, settings.groupsClaim);
                  return (
                    <Box component="span" key={`${c.name}:${v}`} mr={1}>
                      <Chip size="small" label={`${c.name}: ${v}`} />
                      {who && (
                        <KargoActionButton
                          {...manage}
                          variant="text"
                          successMessage={`Revoked ${role.name} from ${who}`}
                          onClick={() =>
                            change(role.name, 'revocations', [who])
                          }
                        >
                          Revoke {v}
                        </KargoActionButton>
                      )}
                    </Box>
                  );
                }),
              )}
            </TableCell>
            <TableCell>
              <RowField
                id={`kargo-role-${role.name}-subject`}
                label="Group or user"
                inputProps={{
                  'aria-label': `Group or user for ${role.name}`,
                }}
                placeholder="group:default/team"
                value={subject.draft(role.name)}
                onChange={v => subject.setDraft(role.name, v)}
              >
                <KargoActionButton
                  {...manage}
                  unavailableReason={
                    subject.draft(role.name).trim()
                      ? undefined
                      : 'Name a group or user'
                  }
                  successMessage={`Granted ${role.name}`}
                  onClick={() =>
                    change(role.name, 'grants', [
                      subject.draft(role.name).trim(),
                    ])
                  }
                >
                  Grant
                </KargoActionButton>
                {settings.owners.length > 0 && (
                  <KargoActionButton
                    {...manage}
                    successMessage={`Granted ${role.name} to the owners`}
                    onClick={() => change(role.name, 'grants', settings.owners)}
                  >
                    Grant to owners
                  </KargoActionButton>
                )}
              </RowField>
            </TableCell>
          </>
        )}
      </SettingsTable>
    </section>
  );
}
