import { Role } from '@prisma/client';
import { IsEmail, Length, MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../auth/password-policy';

@InputType({ description: 'A new account (admins only).' })
export class CreateUserInput {
  @Field(() => String, { description: 'Sign-in address; must be unused.' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @Field(() => String, { description: 'Display name, 1-100 characters.' })
  @Length(1, 100)
  name!: string;

  @Field(() => Role, { description: 'What the user may do.' })
  role!: Role;

  @Field(() => String, {
    description: `Initial password: at least ${MIN_PASSWORD_LENGTH} characters, not only whitespace, not a common password.`,
  })
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}
