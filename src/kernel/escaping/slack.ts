/**
 * Text for Slack mrkdwn documents (message `text`, section and context blocks), where `<…>` is
 * markup: `<!channel>` pings a whole channel, `<@U123>` mentions someone, `<https://a|label>`
 * shows `label` linking to `a`. Slack's own rule is to escape `&`, `<` and `>` as entities; then
 * customer input can neither ping, nor mention, nor disguise a link. Slack's mrkdwn emphasis
 * (`*bold*`, `_italic_`, `~strike~`, `` `code` ``) stays: it cannot hide a target or notify anyone.
 */

/** Escapes text for a Slack mrkdwn field (`&` first, so `&lt;` typed by a customer stays `&lt;`). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A URL from a customer (an attachment's) shown as plain escaped text, never as `<url|label>`:
 * staff see exactly where it points. Whitespace is removed so the URL stays one token.
 */
export function slackUrlAsText(url: string): string {
  return escapeSlack(url.replace(/\s+/g, ''));
}
