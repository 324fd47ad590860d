import TextField from '@material-ui/core/TextField';
import { ReactNode, useState } from 'react';
import { FlexRow } from '../FlexRow';

/** What a table's per-row text field holds so far, by row. */
export function useRowDrafts() {
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  return {
    draft: (row: string) => drafts[row] ?? '',
    setDraft: (row: string, value: string) =>
      setDrafts(d => ({ ...d, [row]: value })),
  };
}

export interface RowFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  type?: string;
  autoComplete?: string;
  placeholder?: string;
  inputProps?: Record<string, unknown>;
  /** The actions beside the field (the first takes its value). */
  children: ReactNode;
}

/** A table row's small text field with the actions that use it. */
export function RowField(props: RowFieldProps) {
  const { onChange, children, ...field } = props;
  return (
    <FlexRow alignItems="center" gap={8}>
      <TextField
        size="small"
        {...field}
        onChange={e => onChange(e.target.value)}
      />
      {children}
    </FlexRow>
  );
}
