import { createHmac } from 'node:crypto';
import type { SafeguardingAlert } from '../../bot/ports';
import type { AlertFormat } from '../../knowledge/schoolsSchema';

/** The header that carries the body's signature. */
export const SIGNATURE_HEADER = 'X-Careers-Signature';

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes with the shared secret. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

function when(iso: string): string {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso : londonTime.format(instant);
}

/**
 * The card staff see in a Teams channel. Its words are for school staff, not pupils, and say
 * nothing about the pupil: the conversation is opened in the console, behind its login.
 */
function adaptiveCard(alert: SafeguardingAlert, schoolName: string): Record<string, unknown> {
  const escalation = alert.type === 'safeguarding.escalation';
  const facts = [
    { title: 'School', value: schoolName },
    { title: 'Flags', value: alert.flags.join(', ') },
    { title: 'Queued at', value: when(alert.queuedAt) },
    ...(escalation ? [{ title: 'Waiting', value: `${alert.waitedMinutes ?? 0} minutes, unclaimed` }] : []),
    { title: 'Adviser hours', value: alert.outOfHours ? 'No: out of hours' : 'Yes' },
    { title: 'Alert id', value: alert.alertId },
  ];
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: escalation ? 'Safeguarding escalation: still unclaimed' : 'Safeguarding alert', weight: 'Bolder', size: 'Large', color: 'Attention', wrap: true },
      {
        type: 'TextBlock',
        text: escalation
          ? 'An urgent conversation with a pupil is still waiting and nobody has claimed it. Please open it now or make sure someone does.'
          : 'A pupil may be at risk. Their conversation is in the adviser queue as urgent. Open it in the adviser console.',
        wrap: true,
      },
      { type: 'FactSet', facts },
    ],
    actions: [{ type: 'Action.OpenUrl', title: 'Open in console', url: alert.consoleUrl }],
  };
}

/** The request body for a receiver: the alert itself as JSON, or a Teams Workflows message with an Adaptive Card. */
export function renderAlert(alert: SafeguardingAlert, format: AlertFormat, schoolName: string): string {
  if (format === 'json') return JSON.stringify(alert);
  return JSON.stringify({
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: adaptiveCard(alert, schoolName) }],
  });
}
