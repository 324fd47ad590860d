import { useApi } from '@backstage/core-plugin-api';
import MenuItem from '@material-ui/core/MenuItem';
import TableCell from '@material-ui/core/TableCell';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { FlexRow } from '../FlexRow';
import { KargoActionButton } from '../KargoActions';
import { RowField, useRowDrafts } from './RowField';
import { SettingsTable } from './SettingsTable';
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
  const password = useRowDrafts();
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
      <SettingsTable
        label="Repository credentials"
        columns={['Name', 'Type', 'Repository', 'Username', 'Password']}
        items={settings.credentials}
      >
        {c => (
          <>
            <TableCell>{c.name}</TableCell>
            <TableCell>{c.type}</TableCell>
            <TableCell>
              <code>{c.repoUrl}</code>
              {c.repoUrlIsRegex && ' (pattern)'}
            </TableCell>
            <TableCell>{c.username}</TableCell>
            <TableCell>
              <RowField
                id={`kargo-credentials-${c.name}-password`}
                type="password"
                autoComplete="new-password"
                label={`New password for ${c.name}`}
                value={password.draft(c.name)}
                onChange={v => password.setDraft(c.name, v)}
              >
                <KargoActionButton
                  {...manage}
                  unavailableReason={
                    password.draft(c.name) ? undefined : 'Type the new password'
                  }
                  successMessage={`Password of ${c.name} replaced`}
                  onClick={async () => {
                    await api.saveRepoCredentials(
                      projectRef,
                      { ...c, password: password.draft(c.name) },
                      'update',
                    );
                    password.setDraft(c.name, '');
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
              </RowField>
            </TableCell>
          </>
        )}
      </SettingsTable>
      <FlexRow wrap alignItems="center" mt={1} gap={8}>
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
      </FlexRow>
    </section>
  );
}
