/** Texts of the "choose a new password" step after an admin's temporary password, es/en. */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  title: 'Choose a new password',
  intro:
    'An administrator set a temporary password for your account. Choose your own before you continue.',
  current: 'Temporary password',
  currentHint: 'The one the administrator gave you.',
  next: 'New password',
  nextHint: 'At least 12 characters.',
  repeat: 'New password again',
  tooShort: 'At least 12 characters.',
  mismatch: 'The two new passwords are not the same.',
  wrong: 'The temporary password is not right.',
  same: 'Choose a password different from the temporary one.',
  throttled: 'Too many attempts: wait a moment and try again.',
  submit: 'Save and continue',
  signOut: 'Sign out',
};

const es: Record<keyof typeof en, string> = {
  title: 'Elige una contraseña nueva',
  intro:
    'Un administrador ha puesto una contraseña temporal a tu cuenta. Elige la tuya antes de continuar.',
  current: 'Contraseña temporal',
  currentHint: 'La que te ha dado el administrador.',
  next: 'Contraseña nueva',
  nextHint: 'Al menos 12 caracteres.',
  repeat: 'Repite la contraseña nueva',
  tooShort: 'Al menos 12 caracteres.',
  mismatch: 'Las dos contraseñas nuevas no coinciden.',
  wrong: 'La contraseña temporal no es correcta.',
  same: 'Elige una contraseña distinta de la temporal.',
  throttled: 'Demasiados intentos: espera un momento y vuelve a probar.',
  submit: 'Guardar y continuar',
  signOut: 'Cerrar sesión',
};

export type ChangePasswordKey = keyof typeof en;
export const useChangePasswordT: () => PageT<ChangePasswordKey> = pageTexts(en, es);
