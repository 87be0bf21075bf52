#include "interpret/heap_snapshots.h"

#include <algorithm>
#include <set>

#include "interpret/records.h"
#include "interpret/units.h"

namespace loopscope {

void HeapSnapshotIndex::add(const Trace& trace, size_t eventIndex) {
  const Event& ev = trace.events()[eventIndex];
  if (ev.kind == EventKind::HeapClass) {
    auto row = as<record::HeapClass>(ev);
    // One constructor name can come in several rows (V8 names some classes alike); a hostile
    // trace may carry any numbers, so the sums saturate.
    ClassTotals& totals = m_classes[row.snapshot][std::string(trace.str(row.constructorString))];
    totals.objects = saturatingAdd(totals.objects, row.objects);
    totals.bytes = saturatingAdd(totals.bytes, row.selfBytes);
    totals.retained = saturatingAdd(totals.retained, row.retainedBytes);
  } else if (ev.kind == EventKind::HeapSnapshot) {
    auto snapshot = as<record::HeapSnapshot>(ev);
    m_snapshots.push_back({snapshot.number, std::string(trace.str(snapshot.labelString)), snapshot.objects,
                           snapshot.selfBytes, eventIndex});
  }
}

std::vector<ClassDelta> HeapSnapshotIndex::compare(int64_t before, int64_t after) const {
  std::vector<ClassDelta> rows;
  if (before == after) return rows;
  static const std::map<std::string, ClassTotals> kNone;
  auto a = m_classes.find(before);
  auto b = m_classes.find(after);
  const auto& first = a == m_classes.end() ? kNone : a->second;
  const auto& second = b == m_classes.end() ? kNone : b->second;
  std::set<std::string> names;
  for (const auto& [name, totals] : first) names.insert(name);
  for (const auto& [name, totals] : second) names.insert(name);
  for (const std::string& name : names) {
    ClassDelta d;
    d.constructorName = name;
    if (auto it = first.find(name); it != first.end()) {
      d.objectsBefore = it->second.objects;
      d.bytesBefore = it->second.bytes;
      d.retainedBefore = it->second.retained;
    }
    if (auto it = second.find(name); it != second.end()) {
      d.objectsAfter = it->second.objects;
      d.bytesAfter = it->second.bytes;
      d.retainedAfter = it->second.retained;
    }
    // Unchanged constructors are noise when hunting what grew.
    if (d.objectsDelta() != 0 || d.bytesDelta() != 0) rows.push_back(std::move(d));
  }
  std::sort(rows.begin(), rows.end(), [](const ClassDelta& x, const ClassDelta& y) {
    return x.bytesDelta() != y.bytesDelta() ? x.bytesDelta() > y.bytesDelta() : x.objectsDelta() > y.objectsDelta();
  });
  return rows;
}

}  // namespace loopscope
