/** "Add input": a distribution for the selected cell, with validated parameters and a density preview. */
import { Button, Dropdown, Field, Input, makeStyles, Option, Text, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { DistributionSpec } from '../../../shared/model';
import { buildSpec, CATALOGUE, entryFor, fieldsOf } from '../model/catalogue';
import { formatStatistic } from '../state/format';
import { DensityPreview } from './DensityPreview';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  params: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(72px, 1fr))',
    gap: tokens.spacingHorizontalS,
  },
  /** Fluent's inputs and dropdowns have a fixed minimum width; here they share the pane's width. */
  control: { minWidth: 0, width: '100%' },
  error: { color: tokens.colorPaletteRedForeground1 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

export function AddInputForm(props: {
  cell: string;
  onAdd: (spec: DistributionSpec) => void;
  onCancel: () => void;
  /** Editing an input in place: the distribution it has now. */
  initial?: DistributionSpec;
  /** The submit button's and the form's verb: "Add input" (default) or "Apply". */
  action?: string;
}) {
  const styles = useStyles();
  const action = props.action ?? 'Add input';
  const initialEntry = (props.initial && entryFor(props.initial.type)) || CATALOGUE[0];
  const [type, setType] = useState(initialEntry.type);
  const entry = CATALOGUE.find((e) => e.type === type) ?? CATALOGUE[0];
  const [fields, setFields] = useState<string[]>(() =>
    props.initial && entryFor(props.initial.type)
      ? fieldsOf(initialEntry, props.initial)
      : initialEntry.example,
  );
  const built = useMemo(() => buildSpec(entry, fields), [entry, fields]);
  const error = 'error' in built ? built : undefined;

  const choose = (next: string | undefined) => {
    const chosen = CATALOGUE.find((e) => e.type === next);
    if (!chosen) return;
    setType(chosen.type);
    setFields(chosen.example);
  };

  return (
    <form
      className={styles.form}
      aria-label={props.initial ? `Edit input ${props.cell}` : `Add input on ${props.cell}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!('error' in built)) props.onAdd(built.spec);
      }}
    >
      <Field label={`Distribution for ${props.cell}`}>
        <Dropdown
          className={styles.control}
          value={entry.label}
          selectedOptions={[entry.type]}
          onOptionSelect={(_, data) => choose(data.optionValue)}
        >
          {CATALOGUE.map((e) => (
            <Option key={e.type} value={e.type} text={e.label}>
              {e.label}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.params}>
        {entry.params.map((name, i) => (
          <Field
            key={`${entry.type}-${name}`}
            label={name}
            validationState={error?.field === i ? 'error' : 'none'}
            validationMessage={error?.field === i ? error.error : undefined}
          >
            <Input
              className={styles.control}
              value={fields[i] ?? ''}
              onChange={(_, data) => setFields((old) => old.map((f, j) => (j === i ? data.value : f)))}
            />
          </Field>
        ))}
      </div>
      {error && error.field === undefined && (
        <Text role="alert" className={styles.error}>
          {error.error}
        </Text>
      )}
      {'distribution' in built && (
        <Field label={`Mean ${formatStatistic(built.distribution.mean)}`}>
          <DensityPreview distribution={built.distribution} />
        </Field>
      )}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={'error' in built}>
          {action}
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
