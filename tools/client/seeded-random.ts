export { pickInt, seededRandom } from '@stockade/kernel';
