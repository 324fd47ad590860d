import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from '../KargoActions';
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
  const [subject, setSubject] = useState<Record<string, string>>({});
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
      <Table size="small" aria-label="Kargo roles">
        <TableHead>
          <TableRow>
            <TableCell>Role</TableCell>
            <TableCell>Granted to</TableCell>
            <TableCell>Grant</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {settings.roles.map(role => (
            <TableRow key={role.name}>
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
                <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                  <TextField
                    id={`kargo-role-${role.name}-subject`}
                    size="small"
                    label="Group or user"
                    inputProps={{
                      'aria-label': `Group or user for ${role.name}`,
                    }}
                    placeholder="group:default/team"
                    value={subject[role.name] ?? ''}
                    onChange={e =>
                      setSubject({ ...subject, [role.name]: e.target.value })
                    }
                  />
                  <KargoActionButton
                    {...manage}
                    unavailableReason={
                      subject[role.name]?.trim()
                        ? undefined
                        : 'Name a group or user'
                    }
                    successMessage={`Granted ${role.name}`}
                    onClick={() =>
                      change(role.name, 'grants', [subject[role.name].trim()])
                    }
                  >
                    Grant
                  </KargoActionButton>
                  {settings.owners.length > 0 && (
                    <KargoActionButton
                      {...manage}
                      successMessage={`Granted ${role.name} to the owners`}
                      onClick={() =>
                        change(role.name, 'grants', settings.owners)
                      }
                    >
                      Grant to owners
                    </KargoActionButton>
                  )}
                </Box>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
