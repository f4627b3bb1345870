/** Texts of the contact editor (name, emails, phones, tags, notes, custom fields), es/en. */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  edit: 'Edit details',
  title: 'Edit customer details',
  name: 'Name',
  emails: 'Emails',
  emailsHint: 'Press Enter after each address.',
  phones: 'Phones',
  phonesHint:
    'With the country code (+34 612 345 678); a national number is read in the customer’s country.',
  tags: 'Tags',
  tagsHint: 'Press Enter or comma after each tag.',
  notes: 'Notes',
  customFields: 'Custom fields',
  fieldName: 'Field',
  fieldValue: 'Value',
  addField: 'Add field',
  removeField: 'Remove field {name}',
  save: 'Save',
  cancel: 'Cancel',
  saved: 'Customer details saved.',
  failed: 'Not saved: {message}',
  nothing: 'Nothing changed.',
  notesTitle: 'Notes',
  noNotes: 'No notes.',
  fieldsTitle: 'Custom fields',
};

const es: typeof en = {
  edit: 'Editar datos',
  title: 'Editar los datos del cliente',
  name: 'Nombre',
  emails: 'Correos electrónicos',
  emailsHint: 'Pulsa Intro después de cada dirección.',
  phones: 'Teléfonos',
  phonesHint:
    'Con el prefijo del país (+34 612 345 678); un número nacional se lee en el país del cliente.',
  tags: 'Etiquetas',
  tagsHint: 'Pulsa Intro o coma después de cada etiqueta.',
  notes: 'Notas',
  customFields: 'Campos propios',
  fieldName: 'Campo',
  fieldValue: 'Valor',
  addField: 'Añadir campo',
  removeField: 'Quitar el campo {name}',
  save: 'Guardar',
  cancel: 'Cancelar',
  saved: 'Datos del cliente guardados.',
  failed: 'No se ha guardado: {message}',
  nothing: 'No hay cambios.',
  notesTitle: 'Notas',
  noNotes: 'Sin notas.',
  fieldsTitle: 'Campos propios',
};

export type ContactEditKey = keyof typeof en;
export const useContactEditT: () => PageT<ContactEditKey> = pageTexts(en, es);
