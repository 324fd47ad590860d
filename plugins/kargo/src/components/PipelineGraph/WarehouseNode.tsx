import type { WarehouseView } from '@kargo-backstage/plugin-kargo-common';
import IconButton from '@material-ui/core/IconButton';
import UnfoldLessIcon from '@material-ui/icons/UnfoldLess';
import UnfoldMoreIcon from '@material-ui/icons/UnfoldMore';
import { useNodeStyles } from './graphStyles';

function subscriptionSummary(subscription: Record<string, any>): string {
  const [kind, spec] = Object.entries(subscription)[0] ?? [];
  if (!spec) return '';
  const filter =
    spec.constraint ??
    spec.semverConstraint ??
    spec.branch ??
    spec.allowTags ??
    '';
  return `${kind}: ${spec.repoURL}${spec.name ? `/${spec.name}` : ''}${
    filter ? ` (${filter})` : ''
  }`;
}

export interface WarehouseNodeProps {
  name: string;
  warehouse?: WarehouseView;
  /** Whether its freightline is collapsed; left out when it feeds no stage. */
  collapsed?: boolean;
  onToggle(): void;
}

/** A warehouse: what it subscribes to, and the button that collapses or expands its freightline. */
export function WarehouseNode(props: WarehouseNodeProps) {
  const { name, warehouse, collapsed, onToggle } = props;
  const classes = useNodeStyles();
  const Icon = collapsed ? UnfoldMoreIcon : UnfoldLessIcon;
  return (
    <div className={`${classes.node} ${classes.warehouse}`}>
      <div className={classes.title}>
        <span className={classes.line}>{name}</span>
        <span className={classes.tag}>warehouse</span>
        {collapsed !== undefined && (
          <IconButton
            size="small"
            style={{ padding: 0 }}
            aria-label={`${
              collapsed ? 'Expand' : 'Collapse'
            } freightline ${name}`}
            title={`${collapsed ? 'Show' : 'Hide'} the stages fed from ${name}`}
            onClick={onToggle}
          >
            <Icon fontSize="small" />
          </IconButton>
        )}
      </div>
      {warehouse?.subscriptions.slice(0, 2).map((s, i) => (
        <div key={i} className={`${classes.line} ${classes.muted}`}>
          {subscriptionSummary(s)}
        </div>
      ))}
    </div>
  );
}
