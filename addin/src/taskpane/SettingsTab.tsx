/** Settings: the service URL and API key (stored per user), and a connection check. */
import {
  Button,
  Caption1,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PlugConnectedRegular } from '@fluentui/react-icons/lib/atoms/svg/plug-connected';
import { useState } from 'react';
import { type Health, ServiceClient, ServiceError, type ServiceSettings } from '../service/client';

const useStyles = makeStyles({
  tab: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
});

export function SettingsTab(props: {
  settings: ServiceSettings;
  onSave: (settings: ServiceSettings) => void;
}) {
  const styles = useStyles();
  const [draft, setDraft] = useState(props.settings);
  const [check, setCheck] = useState<{ intent: 'success' | 'warning' | 'error'; message: string }>();
  const urlError = draft.serviceUrl.trim() !== '' && !/^https?:\/\/[^\s]+$/i.test(draft.serviceUrl.trim());

  const checkConnection = async () => {
    setCheck(undefined);
    setCheck(await connectionReport(new ServiceClient(draft)));
  };

  return (
    <form
      className={styles.tab}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({ serviceUrl: draft.serviceUrl.trim(), apiKey: draft.apiKey.trim() });
      }}
    >
      <Field
        label="Service URL"
        hint="Empty: the server that serves this add-in"
        validationState={urlError ? 'error' : 'none'}
        validationMessage={urlError ? 'An http:// or https:// URL' : undefined}
      >
        <Input
          value={draft.serviceUrl}
          placeholder="https://montecell.example.com"
          onChange={(_, d) => setDraft({ ...draft, serviceUrl: d.value })}
        />
      </Field>
      <Field label="API key">
        <Input
          type="password"
          value={draft.apiKey}
          onChange={(_, d) => setDraft({ ...draft, apiKey: d.value })}
        />
      </Field>
      <Caption1>Stored for you on this computer, not in the workbook.</Caption1>
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={urlError}>
          Save
        </Button>
        <Button icon={<PlugConnectedRegular />} onClick={checkConnection} disabled={urlError}>
          Check connection
        </Button>
      </div>
      {check && (
        <MessageBar intent={check.intent} data-testid="connection-check">
          <MessageBarBody>{check.message}</MessageBarBody>
        </MessageBar>
      )}
    </form>
  );
}

/** Health, workers, and whether the API key is accepted (health itself needs no key). */
async function connectionReport(
  client: ServiceClient,
): Promise<{ intent: 'success' | 'warning' | 'error'; message: string }> {
  let health: Health;
  try {
    health = await client.health();
  } catch (e) {
    return { intent: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  try {
    await client.recent();
  } catch (e) {
    if (e instanceof ServiceError && (e.status === 401 || e.status === 403))
      return { intent: 'error', message: `The service is up but refused the API key: ${e.message}` };
  }
  const workers =
    health.workers === undefined ? '' : ` · ${health.workers} worker${health.workers === 1 ? '' : 's'}`;
  const message = `Service status: ${health.status}${workers}`;
  if (health.status !== 'ok') return { intent: 'error', message };
  if (health.workers === 0)
    return { intent: 'warning', message: `${message}: simulations will wait for a worker` };
  return { intent: 'success', message };
}
