/**
 * A private IMAP server for tests: Debian's dovecot (`dovecot-imapd`) started on 127.0.0.1 on a
 * free port with its own configuration in a temp dir — maildir storage there, one test user in a
 * passwd-file, plain login without TLS on loopback. Mail is put in with imapflow's APPEND, as a
 * mail server delivering to the mailbox would. Missing dovecot is an error (install
 * `dovecot-imapd`), never a skipped test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from '../../src/app/infra/free-port.js';

export interface Dovecot {
  port: number;
  user: string;
  pass: string;
  /** `imap://user:pass@127.0.0.1:<port>/INBOX` */
  url: string;
  /** A client logged in as the test user (the caller logs out). */
  client(): Promise<ImapFlow>;
  stop(): Promise<void>;
}

const DOVECOT_BINS = ['/usr/sbin/dovecot', '/usr/bin/dovecot'];

function dovecotBin(): string {
  const found = DOVECOT_BINS.find((b) => existsSync(b));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v dovecot'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (!bin) {
    throw new Error(
      'dovecot is not installed: the IMAP tests need a real IMAP server (apt-get install dovecot-imapd; .ci/run installs it)',
    );
  }
  return bin;
}

/** Who owns the mail and runs the login processes: `nobody` as root, else ourselves. */
function mailUser(): { name: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    return { name: userInfo().username, uid: process.getuid!(), gid: process.getgid!() };
  }
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no "nobody" user for dovecot to run as');
  return { name: 'nobody', uid: Number(uid), gid: Number(gid) };
}

function configOf(dir: string, port: number, owner: { name: string; uid: number; gid: number }) {
  return `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${owner.name}
default_internal_user = ${owner.name}
first_valid_uid = ${Math.min(owner.uid, 500)}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/** Resolves once the port answers with an IMAP greeting. */
async function greeted(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
  throw new Error(`dovecot did not start on 127.0.0.1:${port}: ${log}`);
}

export async function startDovecot(): Promise<Dovecot> {
  const bin = dovecotBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'charla-dovecot-'));
  const owner = mailUser();
  for (const sub of ['run', 'state', 'mail']) mkdirSync(path.join(dir, sub));
  chownSync(path.join(dir, 'mail'), owner.uid, owner.gid);
  const user = 'charla';
  const pass = `pw-${Math.random().toString(36).slice(2)}`;
  const passwd = path.join(dir, 'passwd');
  writeFileSync(passwd, `${user}:{PLAIN}${pass}::::::\n`, { mode: 0o600 });
  // The auth and mail processes run as the owner: they pass through the dir and read the file.
  chmodSync(dir, 0o711);
  chownSync(passwd, owner.uid, owner.gid);
  const port = await freePort();
  const conf = path.join(dir, 'dovecot.conf');
  writeFileSync(conf, configOf(dir, port, owner));
  const child = spawn(bin, ['-F', '-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await greeted(port, child, path.join(dir, 'dovecot.log'));
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `imap://${user}:${pass}@127.0.0.1:${port}/INBOX`;
  return {
    port,
    user,
    pass,
    url,
    async client() {
      const c = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user, pass },
        logger: false,
      });
      await c.connect();
      return c;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
