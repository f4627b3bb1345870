import { describe, expect, it } from 'vitest';
import { postMessageArgs, quickReplyBlocks } from '../../../channels/slack/outbound.js';
import { escapeSlack, slackUrlAsText } from '../../../src/kernel/escaping/slack.js';
import { relayLine } from '../../../src/features/escalation/slack/queue.js';
import { slackToPlain } from '../../../src/features/escalation/slack/staff-texts.js';
import type { OutboundMessage } from '../../../src/kernel/contracts/messages.js';

/** Slack markup that a customer must never get through: mentions, broadcasts, labelled links. */
const SLACK_MARKUP = /<[!@#]|<https?:|<mailto:/;

const HOSTILE = [
  '<!channel>',
  '<!here|here> <!everyone>',
  '<@U024BE7LH> please approve',
  '<#C024BE7LH|general>',
  '<https://evil.example|Verify your account>',
  '<mailto:ceo@example.com|CEO>',
  '<!subteam^S012345|@admins>',
  '<!date^1392734382^{date}|Feb 18>',
  'a < b > c & d',
];

describe('Slack mrkdwn escaping', () => {
  it('turns every hostile string into inert text', () => {
    for (const s of HOSTILE) {
      const escaped = escapeSlack(s);
      expect(escaped, s).not.toMatch(/[<>]/);
      expect(escaped).not.toMatch(SLACK_MARKUP);
    }
    expect(escapeSlack('<!channel> <https://evil.example|Verify>')).toBe(
      '&lt;!channel&gt; &lt;https://evil.example|Verify&gt;',
    );
  });

  it('escapes & first, so typed entities stay as typed and round-trip', () => {
    expect(escapeSlack('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
    expect(escapeSlack('Q&A')).toBe('Q&amp;A');
    for (const s of [...HOSTILE, '&lt;', '&amp;lt;', '&&<<>>', 'plain']) {
      expect(slackToPlain(escapeSlack(s)), s).toBe(s.trim());
    }
  });

  it('shows customer URLs as plain text, never as a labelled link', () => {
    expect(slackUrlAsText('https://evil.example/x?a=1&b=<2>')).toBe(
      'https://evil.example/x?a=1&amp;b=&lt;2&gt;',
    );
    expect(slackUrlAsText('https://a.example|Verify> <!channel')).not.toMatch(/[<>]/);
    expect(slackUrlAsText('https://a.example/\n<!channel>')).toBe(
      'https://a.example/&lt;!channel&gt;',
    );
  });

  it('relays customer text and attachment URLs to the staff thread escaped', () => {
    const line = relayLine(
      {
        text: '<!channel> <https://evil.example|Verify your account>',
        attachments: [
          { kind: 'image', url: 'https://evil.example/a.png|Invoice>' },
          { kind: 'file' },
        ],
      },
      'en',
    );
    expect(line).not.toMatch(SLACK_MARKUP);
    expect(line).not.toMatch(/<|>/);
    expect(line).toBe(
      '*Customer:* &lt;!channel&gt; &lt;https://evil.example|Verify your account&gt; ' +
        '[image] https://evil.example/a.png|Invoice&gt; [file]',
    );
  });

  it('escapes replies to Slack customers, in the text and in quick-reply blocks', () => {
    const message = {
      id: 'm1',
      channel: 'slack',
      platformConversationId: 'D123',
      text: 'Thanks, <!channel>! Visit <https://evil.example|our site>',
    } as OutboundMessage;
    const args = postMessageArgs(message);
    expect(args.text).toBe('Thanks, &lt;!channel&gt;! Visit &lt;https://evil.example|our site&gt;');
    expect(args).toMatchObject({ unfurl_links: false, unfurl_media: false });
    const blocks = quickReplyBlocks(message.text, [{ title: '<!here>', payload: 'x' }]);
    const section = blocks[0] as { text: { text: string } };
    expect(section.text.text).not.toMatch(SLACK_MARKUP);
    // Button labels are plain_text: Slack shows them verbatim, nothing to escape.
    expect(JSON.stringify(blocks[1])).toContain('"type":"plain_text"');
  });
});
