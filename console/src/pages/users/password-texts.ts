/** Texts of the admin's temporary-password dialog on the users page, es/en. */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  open: 'Temporary password',
  openLabel: 'Set a temporary password for {name}',
  title: 'Temporary password for {name}',
  intro:
    '{name} will have to choose a new password the next time they sign in, before anything else. Their open sessions end now.',
  generate: 'Generate one',
  type: 'Type one',
  password: 'Temporary password',
  passwordHint: 'At least 12 characters.',
  tooShort: 'At least 12 characters.',
  confirm: 'Set temporary password',
  cancel: 'Cancel',
  done: 'Temporary password set. Give it to {name} in person or by phone, never by chat.',
  shownOnce: 'It is shown only this once:',
  copy: 'Copy',
  copied: 'Copied',
  close: 'Close',
  failed: 'Not set: {message}',
  mustChange: 'Must change password',
};

const es: Record<keyof typeof en, string> = {
  open: 'Contraseña temporal',
  openLabel: 'Poner una contraseña temporal a {name}',
  title: 'Contraseña temporal para {name}',
  intro:
    '{name} tendrá que elegir una contraseña nueva la próxima vez que entre, antes de nada más. Sus sesiones abiertas se cierran ahora.',
  generate: 'Generarla',
  type: 'Escribirla',
  password: 'Contraseña temporal',
  passwordHint: 'Al menos 12 caracteres.',
  tooShort: 'Al menos 12 caracteres.',
  confirm: 'Poner contraseña temporal',
  cancel: 'Cancelar',
  done: 'Contraseña temporal puesta. Dásela a {name} en persona o por teléfono, nunca por chat.',
  shownOnce: 'Solo se muestra esta vez:',
  copy: 'Copiar',
  copied: 'Copiada',
  close: 'Cerrar',
  failed: 'No se ha puesto: {message}',
  mustChange: 'Debe cambiar la contraseña',
};

export type TemporaryPasswordKey = keyof typeof en;
export const useTemporaryPasswordT: () => PageT<TemporaryPasswordKey> = pageTexts(en, es);
