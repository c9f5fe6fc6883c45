/**
 * What the Results tab's sections share: chart height, series colours, the section and table styles,
 * and the labelled picker each analysis uses to choose what it shows.
 */

import { Dropdown, Field, makeStyles, Option, tokens } from '@fluentui/react-components';

export const CHART_HEIGHT = 200;

/** Line colours that stay apart in light and dark themes. */
export const SERIES_COLORS = [
  tokens.colorPaletteBlueBorderActive,
  tokens.colorPaletteDarkOrangeBorderActive,
  tokens.colorPaletteGreenBorderActive,
  tokens.colorPaletteBerryBorderActive,
  tokens.colorPaletteTealBorderActive,
  tokens.colorPaletteMarigoldBorderActive,
];

export const useSectionStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  control: { minWidth: 0, width: '100%' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

/** A labelled single-choice dropdown over keyed options. */
export function Picker(props: {
  label: string;
  options: { key: string; text: string }[];
  selected: string;
  onSelect: (key: string) => void;
}) {
  const styles = useSectionStyles();
  const selected = props.options.find((o) => o.key === props.selected);
  return (
    <Field label={props.label}>
      <Dropdown
        className={styles.control}
        value={selected?.text ?? ''}
        selectedOptions={[props.selected]}
        onOptionSelect={(_, d) => d.optionValue && props.onSelect(d.optionValue)}
      >
        {props.options.map((o) => (
          <Option key={o.key} value={o.key}>
            {o.text}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
