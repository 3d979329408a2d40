import type { ErrorBody } from '../shared/consoleApi';
import { conversationPath, errorMessage, isErrorBody, SessionEnded, type ApiResponse } from './api';
import { setHidden, setText, typingIn } from './dom';
import { outcomeLabel } from './format';
import type { ConversationView, OpenConversation } from './conversationView';
import type { ConsoleState } from './state';

export interface ActionHooks {
  /** this adviser is about to hold the conversation (so it is not announced back to them) */
  holding(conversationId: string): void;
  /** back to the queue, with a message and the focus on the conversation's row if still there */
  toQueue(message: string, conversationId?: string): void;
  queueChanged(): void;
}

/** Who holds it, from a 409 or 403 answer. */
function holderOf(response: ApiResponse<ErrorBody>): string {
  return (isErrorBody(response.data) && response.data.claimedBy) || 'another adviser';
}

/**
 * What an adviser does to the open conversation: claim, send, note, close, pass it on and re-open,
 * each with its button busy meanwhile and every refusal said in words; and the keyboard shortcuts
 * for claim (Alt+Shift+C), send (Ctrl+Enter) and close (Alt+Shift+X).
 */
export function wireConversationActions(state: ConsoleState, view: ConversationView, hooks: ActionHooks): void {
  const ui = state.ui.conversation;

  /** Runs one action on the open conversation with its button disabled, reporting errors. */
  const act = (button: HTMLButtonElement, run: (current: OpenConversation) => Promise<void>) => {
    const current = view.current;
    if (!current || button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    setText(ui.error, '');
    setText(ui.message, '');
    run(current)
      .catch((error: unknown) => {
        if (!(error instanceof SessionEnded) && view.still(current.generation)) setText(ui.error, 'The server could not be reached. Please try again.');
      })
      .finally(() => {
        button.disabled = false;
        button.removeAttribute('aria-busy');
      });
  };

  const post = (current: OpenConversation, action: string, body?: unknown) => state.api.call<ErrorBody>('POST', conversationPath(current.id, action), body);

  const claim = () =>
    act(ui.claim, async (current) => {
      hooks.holding(current.id);
      const response = await post(current, 'claim');
      if (!view.still(current.generation)) return;
      if (response.ok) {
        current.claimedByMe = true;
        hooks.queueChanged();
        // Said once the view shows the conversation as held, so the reply box is open when announced.
        await view.refresh();
        if (!view.still(current.generation)) return;
        setText(ui.message, 'You have claimed this conversation. You can now reply to the pupil.');
        if (!ui.messageFieldset.disabled) ui.messageText.focus();
        return;
      }
      if (response.status === 409) {
        const who = holderOf(response);
        setText(ui.claimStatus, `Claimed by ${who}.`);
        setHidden(ui.claim, true);
        setText(ui.error, `Claimed by ${who}: another adviser is already handling this conversation.`);
        ui.heading.focus();
        return view.refresh();
      }
      setText(ui.error, errorMessage(response, `The conversation could not be claimed (error ${response.status}).`));
    });
  ui.claim.addEventListener('click', claim);

  ui.messageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.messageText.value.trim();
    if (!text) {
      setText(ui.error, 'Type a message to the pupil first.');
      return ui.messageText.focus();
    }
    act(ui.messageSend, async (current) => {
      const response = await post(current, 'messages', { text });
      if (!view.still(current.generation)) return;
      if (response.ok) {
        if (ui.messageText.value.trim() === text) ui.messageText.value = '';
        setText(ui.message, 'Message sent to the pupil.');
        ui.transcript.scrollTop = ui.transcript.scrollHeight;
        await view.refresh();
        return ui.messageText.focus();
      }
      if (response.status === 409) {
        current.claimedByMe = false;
        setText(ui.error, errorMessage(response, 'Claim this conversation before you reply.'));
        return view.refresh();
      }
      setText(ui.error, errorMessage(response, `The message was not sent (error ${response.status}). Please try again.`));
    });
  });

  ui.noteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.noteText.value.trim();
    if (!text) {
      setText(ui.error, 'Type the note first.');
      return ui.noteText.focus();
    }
    act(ui.noteSave, async (current) => {
      const response = await post(current, 'notes', { text });
      if (!view.still(current.generation)) return;
      if (!response.ok) return setText(ui.error, errorMessage(response, `The note was not saved (error ${response.status}). Please try again.`));
      if (ui.noteText.value.trim() === text) ui.noteText.value = '';
      setText(ui.message, 'Private note saved. The pupil does not see it.');
      await view.refresh();
    });
  });

  const close = () => {
    const outcome = ui.closeOutcome.value;
    const note = ui.closeNote.value.trim();
    act(ui.closeButton, async (current) => {
      const response = await post(current, 'close', { outcome, ...(note ? { note } : {}) });
      if (!view.still(current.generation)) return;
      if (!response.ok) return setText(ui.error, errorMessage(response, `The conversation was not closed (error ${response.status}). Please try again.`));
      hooks.toQueue(`Conversation closed (outcome: ${outcomeLabel(outcome)}). The pupil has been told and is back with the bot.`);
      hooks.queueChanged();
    });
  };
  ui.closeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    close();
  });

  ui.transferForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const to = ui.transferTo.value || null;
    const note = ui.transferNote.value.trim();
    act(ui.transferButton, async (current) => {
      const response = await post(current, 'transfer', { to, ...(note ? { note } : {}) });
      if (!view.still(current.generation)) return;
      if (!response.ok) {
        setText(ui.error, errorMessage(response, `The conversation was not passed on (error ${response.status}). Please try again.`));
        return view.refresh();
      }
      hooks.toQueue(to ? `Conversation passed to ${to}. The pupil has been told.` : 'Conversation passed back to the queue. The pupil has been told.', current.id);
      hooks.queueChanged();
    });
  });

  ui.reopen.addEventListener('click', () =>
    act(ui.reopen, async (current) => {
      hooks.holding(current.id);
      const response = await post(current, 'reopen');
      if (!view.still(current.generation)) return;
      if (response.ok) {
        current.claimedByMe = true;
        hooks.queueChanged();
        // Said once the view shows the conversation as held, so the reply box is open when announced.
        await view.refresh();
        if (!view.still(current.generation)) return;
        setText(ui.message, 'Conversation re-opened and claimed by you. The pupil has been told.');
        if (!ui.messageFieldset.disabled) ui.messageText.focus();
        return;
      }
      setText(
        ui.error,
        response.status === 409
          ? `It is open again already: ${errorMessage(response, 'claimed by another adviser')}.`
          : errorMessage(response, `The conversation could not be re-opened (error ${response.status}).`),
      );
      await view.refresh();
    }),
  );

  ui.back.addEventListener('click', () => hooks.toQueue('', view.current?.id));

  // Ctrl+Enter (or Cmd+Enter) sends; Enter alone makes a new line.
  ui.messageText.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      ui.messageForm.requestSubmit();
    }
  });

  ui.view.addEventListener('keydown', (event) => {
    // Alt+Shift+letter by the key's place, not its character (Alt changes the character on a Mac).
    if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey) {
      if (event.code === 'KeyC' && !ui.claim.hidden) {
        event.preventDefault();
        return claim();
      }
      if (event.code === 'KeyX' && !ui.closeFieldset.disabled) {
        event.preventDefault();
        return close();
      }
    }
    // Escape outside a text box goes back to the queue.
    if (event.key === 'Escape' && !typingIn(event.target)) ui.back.click();
  });
}
