// natural's index pulls in database drivers, so the engine loads single CommonJS modules by path.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const porterStemmer: { stem(word: string): string };
  export default porterStemmer;
}

declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
