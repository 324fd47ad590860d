import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from '../KargoActions';
import { manageProject, SectionProps } from './types';

const EMPTY = {
  name: '',
  type: 'git',
  repoUrl: '',
  username: '',
  password: '',
};

/**
 * Repository credentials: list, add, replace a password, delete. Secrets are write-only: the
 * portal never shows a stored one.
 */
export function CredentialsSection(props: SectionProps) {
  const { settings, projectRef, reload } = props;
  const api = useApi(kargoApiRef);
  const [form, setForm] = useState(EMPTY);
  const [passwords, setPasswords] = useState<Record<string, string>>({});
  const manage = {
    ...manageProject(props),
    kargoDenied: settings.kargoAccess?.denied.manageCredentials,
  };
  const field = (key: keyof typeof EMPTY, label: string, type = 'text') => (
    <TextField
      id={`kargo-credentials-new-${key}`}
      size="small"
      label={label}
      type={type}
      autoComplete={type === 'password' ? 'new-password' : 'off'}
      value={form[key]}
      onChange={e => setForm({ ...form, [key]: e.target.value })}
    />
  );
  return (
    <section aria-label="Credentials">
      <Typography variant="h6">Repository credentials</Typography>
      {settings.credentialsError && (
        <Alert severity="warning">
          Kargo did not list the credentials: {settings.credentialsError}
        </Alert>
      )}
      <Table size="small" aria-label="Repository credentials">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>Repository</TableCell>
            <TableCell>Username</TableCell>
            <TableCell>Password</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {settings.credentials.map(c => (
            <TableRow key={c.name}>
              <TableCell>{c.name}</TableCell>
              <TableCell>{c.type}</TableCell>
              <TableCell>
                <code>{c.repoUrl}</code>
                {c.repoUrlIsRegex && ' (pattern)'}
              </TableCell>
              <TableCell>{c.username}</TableCell>
              <TableCell>
                <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                  <TextField
                    id={`kargo-credentials-${c.name}-password`}
                    size="small"
                    type="password"
                    autoComplete="new-password"
                    label={`New password for ${c.name}`}
                    value={passwords[c.name] ?? ''}
                    onChange={e =>
                      setPasswords({ ...passwords, [c.name]: e.target.value })
                    }
                  />
                  <KargoActionButton
                    {...manage}
                    unavailableReason={
                      passwords[c.name] ? undefined : 'Type the new password'
                    }
                    successMessage={`Password of ${c.name} replaced`}
                    onClick={async () => {
                      await api.saveRepoCredentials(
                        projectRef,
                        { ...c, password: passwords[c.name] },
                        'update',
                      );
                      setPasswords({ ...passwords, [c.name]: '' });
                      reload();
                    }}
                  >
                    Replace
                  </KargoActionButton>
                  <KargoActionButton
                    {...manage}
                    color="secondary"
                    successMessage={`Credentials ${c.name} deleted`}
                    onClick={async () => {
                      await api.deleteRepoCredentials(projectRef, c.name);
                      reload();
                    }}
                  >
                    Delete {c.name}
                  </KargoActionButton>
                </Box>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        mt={1}
        style={{ gap: 8 }}
      >
        {field('name', 'Name')}
        <TextField
          id="kargo-credentials-new-type"
          select
          size="small"
          label="Type"
          value={form.type}
          onChange={e => setForm({ ...form, type: e.target.value })}
        >
          {['git', 'helm', 'image'].map(t => (
            <MenuItem key={t} value={t}>
              {t}
            </MenuItem>
          ))}
        </TextField>
        {field('repoUrl', 'Repository URL')}
        {field('username', 'Username')}
        {field('password', 'Password', 'password')}
        <KargoActionButton
          {...manage}
          unavailableReason={
            form.name && form.repoUrl && form.username && form.password
              ? undefined
              : 'Fill in every field'
          }
          successMessage={`Credentials ${form.name} added`}
          onClick={async () => {
            await api.saveRepoCredentials(projectRef, form, 'create');
            setForm(EMPTY);
            reload();
          }}
        >
          Add credentials
        </KargoActionButton>
      </Box>
    </section>
  );
}
