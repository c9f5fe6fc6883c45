/**
 * Model: the inputs and outputs found in the workbook's formulas, those the user defined (saved in the
 * workbook), and the functions the engine cannot evaluate. Clicking a cell selects it in Excel.
 */
import {
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  ProgressBar,
  Subtitle2,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons/lib/atoms/svg/add';
import { ArrowClockwiseRegular } from '@fluentui/react-icons/lib/atoms/svg/arrow-clockwise';
import { DeleteRegular } from '@fluentui/react-icons/lib/atoms/svg/delete';
import { EditRegular } from '@fluentui/react-icons/lib/atoms/svg/edit';
import { useMemo, useState } from 'react';
import type { DistributionSpec, WorkbookModel } from '../../../shared/model';
import type { ModelDefinitions } from '../excel/definitions';
import type { ReadProgress } from '../excel/read-model';
import { describeCall, describeSpec } from '../model/catalogue';
import { describeInputs, type InputDetail, isEditable, outputName } from '../model/inputs';
import type { ModelScan } from '../model/scan';
import { formatCount, formatStatistic } from '../state/format';
import { AddInputForm } from './AddInputForm';
import { DensityPreview } from './DensityPreview';

const useStyles = makeStyles({
  tab: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  list: { listStyleType: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minHeight: '28px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  detail: { flexGrow: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  input: {
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    padding: `${tokens.spacingVerticalXS} 0`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  inputHead: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  name: { flexGrow: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  inputBody: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  inputText: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0 },
  preview: { flexShrink: 0, width: '88px' },
  range: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
  nowrap: { whiteSpace: 'nowrap' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** The service's verdict on the model before it is run (POST /api/simulations/check). */
export type ModelCheckState =
  | { state: 'checking' }
  | { state: 'checked'; warnings: string[] }
  | { state: 'refused'; message: string }
  | { state: 'unavailable'; message: string };

export interface ModelTabProps {
  scan?: ModelScan;
  /** The workbook as read, for the inputs' names and distributions. */
  model?: WorkbookModel;
  check?: ModelCheckState;
  /** Rewrites the input's formula with the new distribution; rejects with what went wrong. */
  onEditInput: (input: InputDetail, spec: DistributionSpec) => Promise<void>;
  reading?: ReadProgress | 'starting';
  readError?: string;
  definitions: ModelDefinitions;
  onRescan: () => void;
  onSelectCell: (cell: string) => void;
  /** Resolves with the selected cells (sheet-qualified). */
  getSelection: () => Promise<string[]>;
  onChange: (definitions: ModelDefinitions) => void;
}

export function ModelTab(props: ModelTabProps) {
  const styles = useStyles();
  const { scan, definitions } = props;
  const [addingOn, setAddingOn] = useState<string>();
  const [editing, setEditing] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const { model } = props;
  const inputs = useMemo(() => (model && scan ? describeInputs(model, scan.inputs) : []), [model, scan]);

  const applyEdit = async (input: InputDetail, spec: DistributionSpec) => {
    setProblem(undefined);
    try {
      await props.onEditInput(input, spec);
      setEditing(undefined);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  const cellLink = (cell: string) => (
    <Link as="button" onClick={() => props.onSelectCell(cell)} aria-label={`Select ${cell}`}>
      {cell}
    </Link>
  );

  const startAddInput = async () => {
    setProblem(undefined);
    try {
      const [cell] = await props.getSelection();
      setAddingOn(cell);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  const addInput = (spec: DistributionSpec) => {
    if (!addingOn) return;
    const inputs = definitions.inputs.filter((i) => i.cell !== addingOn);
    props.onChange({ ...definitions, inputs: [...inputs, { cell: addingOn, distribution: spec }] });
    setAddingOn(undefined);
  };

  const addOutputs = async () => {
    setProblem(undefined);
    try {
      const cells = await props.getSelection();
      const known = new Set(definitions.outputs.map((o) => o.cell));
      const added = cells.filter((c) => !known.has(c)).map((cell) => ({ cell }));
      props.onChange({ ...definitions, outputs: [...definitions.outputs, ...added] });
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  };

  const remove = (kind: 'inputs' | 'outputs', cell: string) =>
    props.onChange({ ...definitions, [kind]: definitions[kind].filter((d) => d.cell !== cell) });

  return (
    <div className={styles.tab}>
      <div className={styles.actions}>
        <Button icon={<AddRegular />} onClick={startAddInput}>
          Add input
        </Button>
        <Button icon={<AddRegular />} onClick={addOutputs}>
          Add output
        </Button>
        <Button
          icon={<ArrowClockwiseRegular />}
          appearance="subtle"
          onClick={props.onRescan}
          aria-label="Scan workbook again"
        >
          Rescan
        </Button>
      </div>
      {problem && (
        <MessageBar intent="warning">
          <MessageBarBody>{problem}</MessageBarBody>
        </MessageBar>
      )}
      {addingOn && <AddInputForm cell={addingOn} onAdd={addInput} onCancel={() => setAddingOn(undefined)} />}
      {props.reading && <ReadingProgress reading={props.reading} />}
      {props.readError && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>Cannot read the workbook</MessageBarTitle>
            {props.readError}
          </MessageBarBody>
        </MessageBar>
      )}
      {props.check && <ModelCheckMessages check={props.check} />}
      {scan && scan.unsupported.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Functions the engine does not support</MessageBarTitle>
            <ul className={styles.list} aria-label="Unsupported functions">
              {scan.unsupported.map((u) => (
                <li key={u.name}>
                  <strong>{u.name}</strong> in{' '}
                  {u.cells.map((c, i) => [i > 0 && ', ', <span key={c}>{cellLink(c)}</span>])}
                  {u.more > 0 && ` and ${formatCount(u.more)} more`}
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      <section className={styles.section} aria-labelledby="inputs-heading">
        <Subtitle2 id="inputs-heading">Inputs</Subtitle2>
        <ul className={styles.list} aria-label="Inputs">
          {inputs.map((input) => (
            <li key={input.cell} className={styles.input} aria-label={`Input ${input.cell}`}>
              <div className={styles.inputHead}>
                <Text weight="semibold" className={styles.name} title={input.name}>
                  {input.name ?? input.function}
                </Text>
                {cellLink(input.cell)}
                {isEditable(input) && (
                  <Button
                    size="small"
                    appearance="subtle"
                    icon={<EditRegular />}
                    aria-label={`Edit input ${input.cell}`}
                    onClick={() => setEditing(editing === input.cell ? undefined : input.cell)}
                  />
                )}
              </div>
              <InputSummary input={input} />
              {editing === input.cell && input.spec && (
                <AddInputForm
                  cell={input.cell}
                  initial={input.spec}
                  action="Apply"
                  onAdd={(spec) => void applyEdit(input, spec)}
                  onCancel={() => setEditing(undefined)}
                />
              )}
            </li>
          ))}
          {definitions.inputs.map((input) => (
            <li key={input.cell} className={styles.item}>
              {cellLink(input.cell)}
              <Text className={styles.detail}>{describeSpec(input.distribution)}</Text>
              <Button
                size="small"
                appearance="subtle"
                icon={<DeleteRegular />}
                aria-label={`Remove input ${input.cell}`}
                onClick={() => remove('inputs', input.cell)}
              />
            </li>
          ))}
        </ul>
        {scan && scan.inputs.length + definitions.inputs.length === 0 && (
          <Caption1>
            No inputs yet: use RiskNormal, MC.NORMAL … in formulas, or Add input on a selected cell.
          </Caption1>
        )}
      </section>
      <section className={styles.section} aria-labelledby="outputs-heading">
        <Subtitle2 id="outputs-heading">Outputs</Subtitle2>
        <ul className={styles.list} aria-label="Outputs">
          {scan?.outputs.map((output) => (
            <li key={output.cell} className={styles.item}>
              {cellLink(output.cell)}
              <Text className={styles.detail}>
                {(model && outputName(model, output.cell, output.name)) ?? output.name ?? 'RiskOutput'}
              </Text>
            </li>
          ))}
          {definitions.outputs.map((output) => (
            <li key={output.cell} className={styles.item}>
              {cellLink(output.cell)}
              <Text className={styles.detail}>{output.name ?? 'added'}</Text>
              <Button
                size="small"
                appearance="subtle"
                icon={<DeleteRegular />}
                aria-label={`Remove output ${output.cell}`}
                onClick={() => remove('outputs', output.cell)}
              />
            </li>
          ))}
        </ul>
        {scan && scan.outputs.length + definitions.outputs.length === 0 && (
          <Caption1>No outputs yet: select the cells to forecast and press Add output.</Caption1>
        )}
      </section>
    </div>
  );
}

function ReadingProgress({ reading }: { reading: ReadProgress | 'starting' }) {
  if (reading === 'starting') return <ProgressBar aria-label="Reading the workbook" />;
  const fraction = reading.rowsTotal > 0 ? reading.rowsDone / reading.rowsTotal : 0;
  return (
    <div>
      <Caption1>
        Reading {reading.sheet} ({reading.sheetIndex + 1} of {reading.sheetCount}):{' '}
        {formatCount(reading.rowsDone)} of {formatCount(reading.rowsTotal)} rows
      </Caption1>
      <ProgressBar value={fraction} aria-label="Reading the workbook" />
    </div>
  );
}

/** The distribution as written, its theoretical range and mean, and a sketch of its density. */
function InputSummary({ input }: { input: InputDetail }) {
  const styles = useStyles();
  return (
    <div className={styles.inputBody}>
      <div className={styles.inputText}>
        <Text
          className={styles.name}
          title={input.spec ? `${describeSpec(input.spec)}: ${input.formula}` : input.formula}
        >
          {input.spec ? describeCall(input.function, input.spec) : input.function}
        </Text>
        {input.low && input.high ? (
          <Caption1 className={styles.range}>
            <span className={styles.nowrap}>
              {input.low.label} {formatStatistic(input.low.value)}
            </span>
            <span className={styles.nowrap}>mean {formatStatistic(input.mean)}</span>
            <span className={styles.nowrap}>
              {input.high.label} {formatStatistic(input.high.value)}
            </span>
          </Caption1>
        ) : (
          input.unreadable && <Caption1>Not shown: {input.unreadable}</Caption1>
        )}
      </div>
      {input.distribution && (
        <div className={styles.preview}>
          <DensityPreview distribution={input.distribution} compact />
        </div>
      )}
    </div>
  );
}

/** What the engine said of the model before it runs: its refusal, or the warnings the run will carry. */
export function ModelCheckMessages({ check }: { check: ModelCheckState }) {
  if (check.state === 'checking') return <Caption1 data-testid="model-check">Checking the model…</Caption1>;
  if (check.state === 'unavailable')
    return <Caption1 data-testid="model-check">Not checked: {check.message}</Caption1>;
  if (check.state === 'refused')
    return (
      <MessageBar intent="error" layout="multiline" data-testid="model-check">
        <MessageBarBody>
          <MessageBarTitle>The engine will not run this model</MessageBarTitle>
          {check.message}
        </MessageBarBody>
      </MessageBar>
    );
  if (check.warnings.length === 0)
    return <Caption1 data-testid="model-check">Checked: the engine can run this model.</Caption1>;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="model-check">
      <MessageBarBody>
        <MessageBarTitle>Before you run</MessageBarTitle>
        <ul aria-label="Model warnings" style={{ margin: 0, paddingInlineStart: '16px' }}>
          {check.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
