/** Header (product, language, account), the role's navigation, and the page in <main>. */
import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  SegmentedControl,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { NavLink as RouterNavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { roleAllows, SESSION_KEY, signOut } from '../auth/session';
import { LANGUAGES, useI18n, type Language } from '../i18n/i18n';
import { ACCESS } from '../../../src/kernel/roles';
import { InboxNavCount, useTitleCount } from '../pages/conversations/inbox-watch';
import { navPages } from '../pages/registry';
import { PresenceSwitch } from '../pages/assignment/PresenceSwitch';

/** The inbox's count in the tab title (a component: only for roles that read conversations). */
function TitleCount() {
  useTitleCount();
  return null;
}
import { useCurrentUser } from './current-user';
import { GlobalSearch, SearchTrigger } from './GlobalSearch';
import { ShortcutHelp } from './ShortcutHelp';

/** Focus is in something that takes typed text: single-key shortcuts stay off. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ||
    el.getAttribute('role') === 'combobox'
  );
}

/**
 * The console's own keys (issue 19.8): Ctrl+K / ⌘K opens the search from anywhere, even a
 * text box; `/` opens it and `?` the keyboard help outside text boxes. The inbox adds its own
 * (pages/conversations/shortcuts.tsx).
 */
function useGlobalKeys(openSearch: () => void, openHelp: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        openSearch();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      // Not over another dialog (its own keys and focus come first).
      if ((e.target as HTMLElement | null)?.closest?.('[role="dialog"]')) return;
      if (e.key === '/') {
        e.preventDefault();
        openSearch();
      } else if (e.key === '?') {
        e.preventDefault();
        openHelp();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openSearch, openHelp]);
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('lang.label')}
      value={language}
      onChange={(v) => setLanguage(v as Language)}
      data={LANGUAGES.map((l) => ({
        value: l,
        label: (
          <span title={t(`lang.${l}`)} lang={l}>
            {l.toUpperCase()}
          </span>
        ),
      }))}
      data-testid="language-switch"
    />
  );
}

function UserMenu() {
  const user = useCurrentUser();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const leave = async () => {
    await signOut().catch(() => undefined);
    queryClient.clear();
    queryClient.setQueryData(SESSION_KEY, null);
    await navigate('/login', { replace: true });
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('user.menu', { name: user.name })} data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar size="sm" color="blue" radius="xl">
              {initials(user.name)}
            </Avatar>
            <Text size="sm" truncate="end" maw={160} visibleFrom="sm" title={user.name}>
              {user.name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('user.signedInAs')}</Menu.Label>
        <Stack px="sm" pb="xs" gap={2} maw={300}>
          <Text size="sm" fw={600} truncate="end" title={user.name}>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate="end" title={user.email}>
            {user.email}
          </Text>
          <Badge
            size="sm"
            variant="light"
            c="blue.9"
            tt="none"
            w="fit-content"
            data-testid="user-role"
          >
            {t(`role.${user.role}`)}
          </Badge>
        </Stack>
        <Menu.Divider />
        <Menu.Item onClick={() => void leave()} data-testid="sign-out">
          {t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function AppFrame() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const user = useCurrentUser();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const links = navPages((p) => roleAllows(user.role, p.roles));
  const inbox = roleAllows(user.role, ACCESS.conversations.read);
  const [searching, setSearching] = useState(false);
  const [helping, setHelping] = useState(false);
  const [keys] = useState(() => ({
    search: () => {
      setHelping(false);
      setSearching(true);
    },
    help: () => {
      setSearching(false);
      setHelping(true);
    },
  }));
  useGlobalKeys(keys.search, keys.help);
  // After a client-side navigation, focus goes to the new page (screen readers announce it),
  // not left on the link that was pressed. Not on the first render: nothing moved yet.
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: false });
  }, [pathname]);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('app.openNav')}
            />
            <Text fw={700} size="lg" component="span">
              {t('app.name')}
            </Text>
            <Text c="dimmed" size="sm" component="span" visibleFrom="xs">
              {t('app.console')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SearchTrigger onOpen={keys.search} />
            {roleAllows(user.role, ACCESS.conversations.write) && <PresenceSwitch />}
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.nav')} data-testid="nav">
        {links.map((page) => (
          <NavLink
            key={page.path}
            component={RouterNavLink}
            to={`/${page.path}`}
            label={t(page.nav!.label)}
            active={pathname === `/${page.path}` || pathname.startsWith(`/${page.path}/`)}
            onClick={close}
            rightSection={page.path === 'conversations' ? <InboxNavCount /> : undefined}
            data-testid={`nav-${page.path}`}
          />
        ))}
      </AppShell.Navbar>
      {inbox && <TitleCount />}
      <GlobalSearch opened={searching} onClose={() => setSearching(false)} onHelp={keys.help} />
      <ShortcutHelp opened={helping} onClose={() => setHelping(false)} inbox={inbox} />
      <AppShell.Main id="main" tabIndex={-1} ref={mainRef} style={{ outline: 'none' }}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
