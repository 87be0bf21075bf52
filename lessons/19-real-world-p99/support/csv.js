// Synchronous CSV generation: the "csv-stringify" hot spot of the incident.
module.exports = function buildCsv(rows) {
  let out = 'id,name,amount,date\n';
  for (let i = 0; i < rows; i++) {
    out += `${i},"customer ${i}",${(i * 1.1).toFixed(2)},${new Date(1700000000000 + i * 1000).toISOString()}\n`;
  }
  return out;
};
