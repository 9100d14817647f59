import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY, LOCATIONS, NETWORKS, reaches } from '../../server/src/core';

// Spec §4, row by row: Y yes, N no, T through NAT (policy), P PrivateLink endpoints only.
const TABLE: Record<string, string> = {
  'public-egress': 'Y N N N',
  'private-vpc': 'T Y N N',
  privatelink: 'P Y P N',
  vpn: 'N Y Y Y',
  'on-premise-agent': 'N N N Y',
};

const natOff = { ...DEFAULT_POLICY, natEgress: false };

for (const network of NETWORKS) {
  const cells = TABLE[network]!.split(' ');
  LOCATIONS.forEach((location, i) => {
    const cell = cells[i]!;
    test(`${network} → ${location}: ${cell}`, () => {
      const plain = { location, privateLink: false };
      const linked = { location, privateLink: true };
      assert.equal(reaches(network, plain, DEFAULT_POLICY), cell === 'Y' || cell === 'T');
      assert.equal(reaches(network, linked, DEFAULT_POLICY), cell !== 'N');
      assert.equal(reaches(network, plain, natOff), cell === 'Y');
    });
  });
}
