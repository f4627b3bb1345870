import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/features/catalogue/mask.js';

describe('personal data masked in "what the bot missed"', () => {
  it('emails, phones and introduced names become placeholders in the message language', () => {
    expect(
      maskPersonalData(
        'Hola, me llamo Ana García y mi correo es ana.munoz@cafeteria-lucía.es',
        'es',
      ),
    ).toBe('Hola, me llamo [nombre] y mi correo es [correo]');
    expect(
      maskPersonalData("Hi, I'm John Carter, call me on 07911 123456 or +34 612 34 56 78.", 'en'),
    ).toBe("Hi, I'm [name], call me on [phone] or [phone].");
    expect(maskPersonalData('soy de Madrid y el pedido 73390 no llega', 'es')).toBe(
      'soy de Madrid y el pedido 73390 no llega',
    );
    expect(maskPersonalData("I'm interested in prices, case CS-002265", 'en')).toBe(
      "I'm interested in prices, case CS-002265",
    );
  });
});
