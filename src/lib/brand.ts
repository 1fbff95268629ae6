/**
 * @module brand — nominal ("branded") string types, so a RoomId can never be passed where a UserId
 * is expected. Pure type helpers; must never import anything.
 */
export type Brand<T, B extends string> = T & { readonly __brand: B };
