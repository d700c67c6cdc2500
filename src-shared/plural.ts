// "1 book", "2 books", "10,000 books": one way to say a count, in the window and the CLI alike.

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
