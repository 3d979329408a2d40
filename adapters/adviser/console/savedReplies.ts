import type { ErrorBody, PlaceholderValues, SavedRepliesResponse, SavedReplyView } from '../shared/consoleApi';
import { errorMessage, SessionEnded } from './api';
import { clear, el, setHidden, setText } from './dom';
import type { ConsoleState } from './state';
import { showView } from './ui';

/** A saved reply's text for a pupil of `values`' school: {school} and {adviserHours} filled in; without values, left for the adviser. */
export function fillPlaceholders(text: string, values: PlaceholderValues | undefined): string {
  if (!values) return text;
  return text.replace(/\{(school|adviserHours)\}/g, (_match, name: string) => (name === 'school' ? values.school : values.adviserHours));
}

/**
 * Saved replies: the list the "/" shortcut inserts from, and the view where advisers keep them
 * (add, change, remove; the content's seeds are read-only). Loaded after sign-in and after each
 * change.
 */
export class SavedReplies {
  replies: SavedReplyView[] = [];
  values: Record<string, PlaceholderValues> = {};
  private editing: SavedReplyView | null = null;

  constructor(
    private readonly state: ConsoleState,
    back: () => void,
  ) {
    const ui = state.ui.replies;
    state.ui.repliesButton.addEventListener('click', () => this.show());
    ui.back.addEventListener('click', () => back());
    ui.cancel.addEventListener('click', () => this.edit(null));
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.save();
    });
    ui.view.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !(event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement)) back();
    });
  }

  /**
   * The replies an adviser can use in a conversation of `school`: the school's own, then the
   * shared ones, then the content's; of two with one name, the first of those wins.
   */
  forSchool(school: string | undefined): SavedReplyView[] {
    const rank = (reply: SavedReplyView) => (reply.scope === school ? 0 : reply.scope === 'shared' ? 1 : reply.scope === 'content' ? 2 : 3);
    const usable = this.replies.filter((reply) => rank(reply) < 3).sort((a, b) => rank(a) - rank(b));
    return usable.filter((reply, index) => usable.findIndex((other) => other.name === reply.name) === index);
  }

  signedIn(): void {
    const select = this.state.ui.replies.scope;
    while (select.options.length > 1) select.remove(1);
    for (const school of this.state.me?.schools ?? []) select.appendChild(new Option(`${school.name} only`, school.id));
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const response = await this.state.api.call<SavedRepliesResponse>('GET', '/api/adviser/saved-replies');
      if (!response.ok || !response.data) return void setText(this.state.ui.replies.error, errorMessage(response, `The saved replies could not be loaded (error ${response.status}).`));
      this.replies = response.data.replies;
      this.values = response.data.values;
      this.render();
    } catch (error) {
      if (!(error instanceof SessionEnded)) setText(this.state.ui.replies.error, 'The server could not be reached.');
    }
  }

  show(): void {
    this.state.view = 'replies';
    setText(this.state.ui.replies.message, '');
    setText(this.state.ui.replies.error, '');
    showView(this.state.ui, 'replies', this.state.ui.replies.heading);
    void this.load();
  }

  private scopeName(scope: string): string {
    if (scope === 'content') return 'Everyone (from the content)';
    if (scope === 'shared') return 'Every adviser';
    return this.state.me?.schools.find((school) => school.id === scope)?.name ?? scope;
  }

  private render(): void {
    const body = this.state.ui.replies.body;
    clear(body);
    for (const reply of this.replies) {
      const row = el('tr');
      row.appendChild(el('td')).appendChild(el('code', null, `/${reply.name}`));
      row.appendChild(el('td', null, reply.title));
      row.appendChild(el('td', null, this.scopeName(reply.scope)));
      row.appendChild(el('td', 'reply-text', reply.text));
      const actions = row.appendChild(el('td', 'reply-row-actions'));
      if (reply.editable) {
        const edit = actions.appendChild(el('button', 'button button--secondary button--small', 'Edit'));
        edit.type = 'button';
        edit.setAttribute('aria-label', `Edit /${reply.name}`);
        edit.addEventListener('click', () => this.edit(reply));
        const remove = actions.appendChild(el('button', 'button button--secondary button--small', 'Remove'));
        remove.type = 'button';
        remove.setAttribute('aria-label', `Remove /${reply.name}`);
        remove.addEventListener('click', () => void this.remove(reply));
      } else {
        actions.appendChild(el('span', 'muted', 'Read-only'));
      }
      body.appendChild(row);
    }
  }

  private edit(reply: SavedReplyView | null): void {
    const ui = this.state.ui.replies;
    this.editing = reply;
    ui.name.value = reply?.name ?? '';
    ui.title.value = reply?.title ?? '';
    ui.text.value = reply?.text ?? '';
    ui.scope.value = reply?.scope ?? 'shared';
    ui.scope.disabled = reply !== null;
    setText(ui.legend, reply ? `Change /${reply.name}` : 'Add a saved reply');
    setText(ui.save, reply ? 'Save changes' : 'Save reply');
    setHidden(ui.cancel, reply === null);
    (reply ? ui.text : ui.name).focus();
  }

  private async save(): Promise<void> {
    const ui = this.state.ui.replies;
    const input = { name: ui.name.value.trim(), title: ui.title.value.trim(), text: ui.text.value.trim() };
    const missing = !input.name ? ui.name : !input.title ? ui.title : !input.text ? ui.text : null;
    if (missing) {
      setText(ui.error, 'Fill in the name, the title and the text.');
      return missing.focus();
    }
    const editing = this.editing;
    ui.save.disabled = true;
    setText(ui.error, '');
    try {
      const response = editing
        ? await this.state.api.call<ErrorBody>('PUT', `/api/adviser/saved-replies/${encodeURIComponent(editing.scope)}/${encodeURIComponent(editing.id)}`, input)
        : await this.state.api.call<ErrorBody>('POST', '/api/adviser/saved-replies', { ...input, scope: ui.scope.value });
      if (!response.ok) return setText(ui.error, errorMessage(response, `The reply was not saved (error ${response.status}).`));
      setText(ui.message, `Saved /${input.name}.`);
      this.edit(null);
      await this.load();
    } catch (error) {
      if (!(error instanceof SessionEnded)) setText(ui.error, 'The server could not be reached. Please try again.');
    } finally {
      ui.save.disabled = false;
    }
  }

  private async remove(reply: SavedReplyView): Promise<void> {
    const ui = this.state.ui.replies;
    try {
      const response = await this.state.api.call<ErrorBody>('DELETE', `/api/adviser/saved-replies/${encodeURIComponent(reply.scope)}/${encodeURIComponent(reply.id)}`);
      if (!response.ok) return setText(ui.error, errorMessage(response, `The reply was not removed (error ${response.status}).`));
      setText(ui.message, `Removed /${reply.name}.`);
      if (this.editing?.id === reply.id) this.edit(null);
      await this.load();
      ui.heading.focus();
    } catch (error) {
      if (!(error instanceof SessionEnded)) setText(ui.error, 'The server could not be reached. Please try again.');
    }
  }
}
