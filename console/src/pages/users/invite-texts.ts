/** Texts of the "new user" form's access choice and its outcome (invitation or temporary password), es/en. */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  access: 'How they get in',
  invite: 'Email an invitation',
  temporary: 'Generate a temporary password',
  typed: 'Type a password',
  inviteHint: 'They get a link by email to choose their own password. It works once, for 3 days.',
  temporaryHint:
    'Mail is not set up on the server (SMTP_URL, PUBLIC_URL), so no invitation can be sent: you get a temporary password to give them, and they choose their own at first sign-in.',
  language: 'Language of the invitation',
  sent: 'Invitation sent to {email}. The link works once, until {until}.',
  failed:
    'The invitation to {email} could not be sent. Give {name} this temporary password instead, in person or by phone; they choose their own at first sign-in.',
  temporaryDone:
    'User created. Give {name} this temporary password in person or by phone; they choose their own at first sign-in.',
  created: 'User created with the password you typed.',
  shownOnce: 'It is shown only this once:',
  copy: 'Copy',
  copied: 'Copied',
  close: 'Close',
};

const es: Record<keyof typeof en, string> = {
  access: 'Cómo entrará',
  invite: 'Enviar una invitación por correo',
  temporary: 'Generar una contraseña temporal',
  typed: 'Escribir una contraseña',
  inviteHint:
    'Recibirá por correo un enlace para elegir su propia contraseña. Sirve una vez, durante 3 días.',
  temporaryHint:
    'El correo no está configurado en el servidor (SMTP_URL, PUBLIC_URL) y no se pueden enviar invitaciones: recibirás una contraseña temporal para dársela, y elegirá la suya al entrar por primera vez.',
  language: 'Idioma de la invitación',
  sent: 'Invitación enviada a {email}. El enlace sirve una vez, hasta el {until}.',
  failed:
    'No se ha podido enviar la invitación a {email}. Dale a {name} esta contraseña temporal en persona o por teléfono; elegirá la suya al entrar por primera vez.',
  temporaryDone:
    'Usuario creado. Dale a {name} esta contraseña temporal en persona o por teléfono; elegirá la suya al entrar por primera vez.',
  created: 'Usuario creado con la contraseña que has escrito.',
  shownOnce: 'Solo se muestra esta vez:',
  copy: 'Copiar',
  copied: 'Copiada',
  close: 'Cerrar',
};

export type InviteKey = keyof typeof en;
export const useInviteT: () => PageT<InviteKey> = pageTexts(en, es);
