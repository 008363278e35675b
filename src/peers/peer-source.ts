import type { AnswerSource } from '../answer/answer-source.js';
import { createCybotstarSource } from './cybotstar-source.js';
import { createLaiyeSource } from './laiye-source.js';
import type { PeerDefinition } from './peer-config.js';
import type { PeerDeps } from './peer-deps.js';
import { createTateatateSource } from './tateatate-source.js';

export function createPeerSource(name: string, peer: PeerDefinition, deps: PeerDeps): AnswerSource {
  switch (peer.platform) {
    case 'laiye':
      return createLaiyeSource(name, peer, deps);
    case 'cybotstar':
      return createCybotstarSource(name, peer, deps);
    case 'tateatate':
      return createTateatateSource(name, peer, deps);
  }
}
