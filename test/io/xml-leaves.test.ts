import { describe, expect, it } from 'vitest';
import { xmlLeaves } from '../../src/io/xml-leaves';

describe('xmlLeaves', () => {
  it('flattens an ISMRMRD header into paths', () => {
    const xml =
      '<?xml version="1.0"?><ismrmrdHeader xmlns="http://www.ismrm.org/ISMRMRD"><!-- c --><encoding><encodedSpace>' +
      '<matrixSize><x>640</x><y>368</y></matrixSize></encodedSpace><trajectory>cartesian</trajectory></encoding>' +
      '<studyInformation><studyDescription>knee &amp; hip</studyDescription><empty/></studyInformation></ismrmrdHeader>';
    expect(xmlLeaves(xml)).toEqual([
      { key: 'encoding/encodedSpace/matrixSize/x', value: '640' },
      { key: 'encoding/encodedSpace/matrixSize/y', value: '368' },
      { key: 'encoding/trajectory', value: 'cartesian' },
      { key: 'studyInformation/studyDescription', value: 'knee & hip' },
    ]);
  });
  it('survives garbage and caps its output', () => {
    expect(xmlLeaves('not xml at all <<< >')).toEqual([]);
    const many = '<r>' + '<a>1</a>'.repeat(1000) + '</r>';
    expect(xmlLeaves(many, 10)).toHaveLength(10);
  });
});
