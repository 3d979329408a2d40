import { byId } from './dom';

const button = (id: string) => byId(id, HTMLButtonElement);
const para = (id: string) => byId(id, HTMLParagraphElement);
const section = (id: string) => byId(id, HTMLElement);
const select = (id: string) => byId(id, HTMLSelectElement);
const textarea = (id: string) => byId(id, HTMLTextAreaElement);
const input = (id: string) => byId(id, HTMLInputElement);
const form = (id: string) => byId(id, HTMLFormElement);
const fieldset = (id: string) => byId(id, HTMLFieldSetElement);

/** Every element of the page the console works with, found once and typed. */
export function findUi() {
  return {
    loading: para('loading-view'),
    live: para('live-status'),
    userArea: byId('user-area', HTMLDivElement),
    userName: section('user-name'),
    logout: button('logout-button'),
    presence: select('presence-status'),
    repliesButton: button('replies-button'),
    urgentBanner: byId('urgent-banner', HTMLDivElement),
    urgentAlert: para('urgent-alert'),
    urgentActions: byId('urgent-actions', HTMLDivElement),
    urgentOpen: button('urgent-open'),
    urgentDismiss: button('urgent-dismiss'),
    login: {
      view: section('login-view'),
      heading: byId('login-heading', HTMLHeadingElement),
      form: form('login-form'),
      username: input('login-username'),
      password: input('login-password'),
      submit: button('login-submit'),
      error: para('login-error'),
      message: para('login-message'),
    },
    queue: {
      view: section('queue-view'),
      heading: byId('queue-heading', HTMLHeadingElement),
      updated: para('queue-updated'),
      message: para('queue-message'),
      error: para('queue-error'),
      summary: para('queue-summary'),
      table: byId('queue-table', HTMLTableElement),
      body: byId('queue-body', HTMLTableSectionElement),
      empty: para('queue-empty'),
      closedWrap: byId('closed-wrap', HTMLDivElement),
      closedBody: byId('closed-body', HTMLTableSectionElement),
      closedEmpty: para('closed-empty'),
      online: byId('online-list', HTMLUListElement),
      notifyStatus: para('notify-status'),
      notifyButton: button('notify-button'),
      sound: input('sound-toggle'),
      filters: form('queue-filters'),
      filterText: input('filter-text'),
      filterSchool: select('filter-school'),
      filterFlag: select('filter-flag'),
      filterStatus: select('filter-status'),
      filterWait: select('filter-wait'),
    },
    conversation: {
      view: section('conversation-view'),
      heading: byId('conversation-heading', HTMLHeadingElement),
      priority: section('conversation-priority'),
      error: para('conversation-error'),
      message: para('conversation-message'),
      details: byId('conversation-details', HTMLDListElement),
      transcript: byId('transcript', HTMLDivElement),
      transcriptList: byId('transcript-list', HTMLOListElement),
      jumpLatest: button('jump-latest'),
      back: button('back-button'),
      claimStatus: para('claim-status'),
      claim: button('claim-button'),
      reopen: button('reopen-button'),
      transferForm: form('transfer-form'),
      transferFieldset: fieldset('transfer-fieldset'),
      transferTo: select('transfer-to'),
      transferNote: textarea('transfer-note'),
      transferButton: button('transfer-button'),
      messageForm: form('message-form'),
      messageFieldset: fieldset('message-fieldset'),
      messageHint: para('message-hint'),
      messageText: textarea('message-text'),
      messageSend: button('message-send'),
      suggestions: byId('reply-suggestions', HTMLUListElement),
      notesList: byId('notes-list', HTMLUListElement),
      noteForm: form('note-form'),
      noteFieldset: fieldset('note-fieldset'),
      noteText: textarea('note-text'),
      noteSave: button('note-save'),
      closeForm: form('close-form'),
      closeFieldset: fieldset('close-fieldset'),
      closeOutcome: select('close-outcome'),
      closeNote: textarea('close-note'),
      closeButton: button('close-button'),
      closeHint: para('close-hint'),
    },
    replies: {
      view: section('replies-view'),
      heading: byId('replies-heading', HTMLHeadingElement),
      back: button('replies-back'),
      message: para('replies-message'),
      error: para('replies-error'),
      body: byId('replies-body', HTMLTableSectionElement),
      form: form('reply-form'),
      legend: byId('reply-form-legend', HTMLLegendElement),
      name: input('reply-name'),
      title: input('reply-title'),
      scope: select('reply-scope'),
      text: textarea('reply-text'),
      save: button('reply-save'),
      cancel: button('reply-cancel'),
    },
  };
}

export type Ui = ReturnType<typeof findUi>;
export type ViewName = 'loading' | 'login' | 'queue' | 'conversation' | 'replies';

/** Shows one view, hides the others, and moves the keyboard focus where asked. */
export function showView(ui: Ui, name: ViewName, focus?: HTMLElement | null): void {
  ui.loading.hidden = name !== 'loading';
  ui.login.view.hidden = name !== 'login';
  ui.queue.view.hidden = name !== 'queue';
  ui.conversation.view.hidden = name !== 'conversation';
  ui.replies.view.hidden = name !== 'replies';
  focus?.focus();
}
