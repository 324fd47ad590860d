import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ReactNode } from 'react';

/** A small settings table: a header of column names, then a row (its cells) per item. */
export function SettingsTable<T extends { name: string }>(props: {
  label: string;
  columns: string[];
  items: T[];
  /** The cells of an item's row. */
  children(item: T): ReactNode;
}) {
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {props.columns.map(c => (
            <TableCell key={c}>{c}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(item => (
          <TableRow key={item.name}>{props.children(item)}</TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
