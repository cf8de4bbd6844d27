/**
 * The signed-in console: the CRM card (polled every 10 s while the page is visible), the app key, the agent
 * mapping and the deliveries. It loads through {@link AdminApiClient}, turns answers into view models
 * (`*-model.ts`) and hands them to the views; a lost session (401, 403) goes back to sign-in.
 *
 * The agent mapping joins two reads that are redrawn independently: agents + links (again after every save) and
 * the CRM's agents (`GET /api/admin/crm/users`: at start, when the connection changes, and on "Reload the list").
 * The table is first drawn once both are in; each read keeps only its newest answer.
 */
import { el } from '../../browser-kit/src/dom.js';
import type { AdminApiClient } from './admin-api.js';
import type { AgentSummary, CrmAgentLink, CrmOverview, DeliveryStatus } from './admin-api-shapes.js';
import { describeAdminError, isAdminError } from './admin-errors.js';
import { agentMappingTable } from './agent-mapping-table.js';
import { AgentMappingView } from './agent-mapping-view.js';
import { AppKeyView } from './app-key-view.js';
import { directoryFailure, directoryKey, directoryOf, type CrmDirectory } from './crm-directory.js';
import { connectFormDefaults, connectFormErrors, connectedText, connectRequest, type ConnectFormValues } from './connect-form-model.js';
import { ConnectFormView } from './connect-form-view.js';
import { crmCardModel } from './crm-card-model.js';
import { CrmCardView } from './crm-card-view.js';
import { ACTIONABLE_STATES, jobRow, listNote } from './delivery-model.js';
import { DeliveriesView } from './deliveries-view.js';
import type { WhenFormat } from './format-when.js';
import { LatestRead } from './latest-read.js';
import { VisiblePoller, type PollTimers, type VisibilitySource } from './visible-poller.js';

/** How often the CRM card is read while the page is visible. */
export const CRM_POLL_MS = 10_000;
/** How many jobs of each actionable state are listed. */
const JOB_LIMIT = 50;

export interface AdminDashboardOptions {
  readonly client: AdminApiClient;
  readonly when: WhenFormat;
  readonly browserTimeZone: string;
  readonly timeZones: readonly string[];
  readonly copy: (text: string) => Promise<void>;
  readonly visibility: VisibilitySource;
  readonly timers: PollTimers;
  /** The session is gone (expired, or no longer admin): show sign-in with this sentence. */
  readonly onSessionLost: (message: string) => void;
}

export class AdminDashboard {
  readonly element: HTMLElement;
  readonly #o: AdminDashboardOptions;
  readonly #form: ConnectFormView;
  readonly #card: CrmCardView;
  readonly #appKey: AppKeyView;
  readonly #agents: AgentMappingView;
  readonly #deliveries: DeliveriesView;
  readonly #poller: VisiblePoller;
  #countsKey = '';
  #stopped = false;
  /** The card's status line says a poll failed: the next good read clears it. */
  #pollFailed = false;
  readonly #crmReads = new LatestRead();
  readonly #tableReads = new LatestRead();
  readonly #directoryReads = new LatestRead();
  #table: { readonly agents: readonly AgentSummary[]; readonly links: readonly CrmAgentLink[] } | null = null;
  #directory: CrmDirectory | null = null;
  /** {@link directoryKey} of the last connection drawn; undefined before the first. */
  #directoryKey: string | undefined;

  constructor(options: AdminDashboardOptions) {
    this.#o = options;
    const client = options.client;
    this.#form = new ConnectFormView((values) => this.#connect(values), options.timeZones);
    this.#card = new CrmCardView(this.#form, { disconnect: () => this.#disconnect() });
    this.#appKey = new AppKeyView({
      generate: async () => {
        try {
          const key = await client.newAppKey();
          void this.#refreshCrm().catch(() => undefined);
          return key;
        } catch (error) {
          this.#sessionCheck(error);
          throw error;
        }
      },
      describe: describeAdminError,
      copy: options.copy,
    });
    this.#agents = new AgentMappingView({
      save: (username, crmUserId) => this.#attempt(() => client.linkAgent(username, crmUserId), () => this.#loadTable()),
      unmap: (username) => this.#attempt(() => client.unlinkAgent(username), () => this.#loadTable()),
      reloadDirectory: () => this.#loadDirectory(),
    });
    this.#deliveries = new DeliveriesView(ACTIONABLE_STATES, {
      retry: (id) => this.#attempt(() => client.retry(id), () => this.#refreshCrm(true)),
      refresh: () => this.#refreshCrm(true).catch((error) => this.#deliveries.setError(this.#sessionCheck(error))),
    });
    this.#poller = new VisiblePoller({
      intervalMs: CRM_POLL_MS,
      tick: () => this.#refreshCrm(),
      visibility: options.visibility,
      timers: options.timers,
      onError: (error) => {
        this.#pollFailed = true;
        this.#card.setStatus(`Could not refresh: ${this.#sessionCheck(error)}`);
      },
    });
    this.element = el('div', { class: 'dashboard' }, [this.#card.element, this.#appKey.element, this.#agents.element, this.#deliveries.element]);
  }

  /** Loads every section and starts polling the CRM card. */
  async start(): Promise<void> {
    this.#poller.start();
    await Promise.all([
      this.#poller.refresh(),
      this.#loadTable().catch((error) => this.#agents.setError(this.#sessionCheck(error))),
      this.#loadDirectory(),
    ]);
  }

  /** Stops polling; idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#poller.stop();
  }

  /**
   * Reads `GET /api/admin/crm` and redraws the card, the app key and the counts; job lists when counts moved, the
   * CRM's agents when the connection changed.
   */
  async #refreshCrm(reloadJobs = false, resetForm = false): Promise<void> {
    const fresh = this.#crmReads.begin();
    const overview = await this.#o.client.crm();
    // A poll sent before a connect may answer after it: never draw an older state over a newer one.
    if (this.#stopped || !fresh()) return;
    this.#drawCrm(overview, resetForm);
    const connectionKey = directoryKey(overview.connection);
    // Connected, disconnected, reconnected or refused: the CRM's list of agents may have changed with it.
    if (this.#directoryKey !== undefined && connectionKey !== this.#directoryKey) void this.#loadDirectory();
    this.#directoryKey = connectionKey;
    if (this.#pollFailed) {
      this.#pollFailed = false;
      this.#card.setStatus('');
    }
    const key = countsKey(overview.deliveries);
    if (reloadJobs || key !== this.#countsKey) {
      this.#countsKey = key;
      await this.#loadJobs();
    }
  }

  #drawCrm(overview: CrmOverview, resetForm: boolean): void {
    const defaults = connectFormDefaults(overview.connection, this.#o.browserTimeZone);
    this.#card.render(crmCardModel(overview, this.#o.when), defaults, resetForm);
    this.#appKey.render({ connected: overview.connection !== null, hasAppKey: overview.connection?.hasAppKey ?? false });
    this.#deliveries.renderCounts(overview.deliveries);
  }

  async #loadJobs(): Promise<void> {
    const lists = await Promise.all(ACTIONABLE_STATES.map((state) => this.#o.client.deliveries({ state, limit: JOB_LIMIT })));
    if (this.#stopped) return;
    this.#deliveries.setError('');
    ACTIONABLE_STATES.forEach((state, i) => {
      const list = lists[i]!;
      this.#deliveries.renderJobs(state, list.jobs.map((job) => jobRow(job, this.#o.when)), listNote(list.jobs.length, list.status.counts[state]));
    });
  }

  /** Reads our agents and their links; rejects on failure (the caller says where). */
  async #loadTable(): Promise<void> {
    const fresh = this.#tableReads.begin();
    const [agents, links] = await Promise.all([this.#o.client.agents(), this.#o.client.agentLinks()]);
    if (this.#stopped || !fresh()) return;
    this.#table = { agents, links };
    this.#agents.setError('');
    this.#drawAgents();
  }

  /** Reads the CRM's agents; never rejects: a failure is the directory's state (a lost session also leaves). */
  async #loadDirectory(): Promise<void> {
    const fresh = this.#directoryReads.begin();
    let directory: CrmDirectory;
    try {
      directory = directoryOf(await this.#o.client.listCrmUsers());
    } catch (error) {
      this.#sessionCheck(error);
      directory = directoryFailure(error);
    }
    if (this.#stopped || !fresh()) return;
    this.#directory = directory;
    this.#drawAgents();
  }

  #drawAgents(): void {
    if (!this.#table || !this.#directory) return;
    this.#agents.render(agentMappingTable(this.#table.agents, this.#table.links, this.#directory));
  }

  async #connect(values: ConnectFormValues): Promise<void> {
    this.#card.setStatus('');
    try {
      const result = await this.#o.client.connect(connectRequest(values));
      const refreshed = await this.#refreshCrm(true, true).then(() => '', (error) => `. Could not refresh: ${this.#sessionCheck(error)}`);
      this.#card.setStatus(`${connectedText(result)}${refreshed}`);
    } catch (error) {
      this.#sessionCheck(error);
      this.#form.showErrors(connectFormErrors(error));
    }
  }

  async #disconnect(): Promise<string | null> {
    const failure = await this.#attempt(() => this.#o.client.disconnect(), () => this.#refreshCrm(true, true));
    if (failure === null) this.#card.setStatus('Zendesk is disconnected.');
    return failure;
  }

  /** Runs `action`, then `after`; resolves with the error sentence of whichever failed, or null. */
  async #attempt(action: () => Promise<unknown>, after: () => Promise<void>): Promise<string | null> {
    try {
      await action();
    } catch (error) {
      return this.#sessionCheck(error);
    }
    try {
      await after();
      return null;
    } catch (error) {
      return `Done, but the page could not refresh: ${this.#sessionCheck(error)}`;
    }
  }

  /** The sentence for `error`; a lost session also leaves the dashboard. */
  #sessionCheck(error: unknown): string {
    const message = describeAdminError(error);
    if (isAdminError(error) && (error.code === 'ADMIN_ERR_SESSION_EXPIRED' || error.code === 'ADMIN_ERR_NOT_ADMIN') && !this.#stopped) {
      this.stop();
      this.#o.onSessionLost(message);
    }
    return message;
  }
}

function countsKey(status: DeliveryStatus): string {
  return `${status.counts['waiting-auth']}/${status.counts.parked}/${status.counts.pending}/${status.counts.running}/${status.counts.done}`;
}
