import Box, { BoxProps } from '@material-ui/core/Box';

export type FlexRowProps = BoxProps & {
  /** Space between the items, in pixels. */
  gap: number;
  /** Wrap onto more lines when the items do not fit. */
  wrap?: boolean;
};

/** A row of controls: a flex box with a gap, wrapping if asked. */
export function FlexRow(props: FlexRowProps) {
  const { gap, wrap, style, ...box } = props;
  return (
    <Box
      display="flex"
      flexWrap={wrap ? 'wrap' : undefined}
      style={{ gap, ...style }}
      {...box}
    />
  );
}
