#include "interpret/heap_graph.h"

#include <utility>

namespace loopscope {
namespace {

// Depth-first from the root over strong edges, numbering nodes in postorder. Also gives each
// node's predecessors among the reached nodes.
struct Walk {
  std::vector<int> postorder;  // node -> its number, -1 if not reached
  std::vector<int> order;      // number -> node
  std::vector<std::vector<int>> predecessors;
};

Walk walkFromRoot(const HeapGraph& g) {
  const size_t n = g.size();
  Walk w;
  w.postorder.assign(n, -1);
  w.predecessors.resize(n);
  if (n == 0 || g.root < 0 || size_t(g.root) >= n) return w;
  std::vector<char> seen(n, 0);
  std::vector<std::pair<int, size_t>> stack{{g.root, 0}};  // explicit: heaps are deep
  seen[size_t(g.root)] = 1;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const std::vector<int>& edges =
        size_t(node) < g.strongEdges.size() ? g.strongEdges[size_t(node)] : std::vector<int>{};
    if (next < edges.size()) {
      int child = edges[next++];
      if (child < 0 || size_t(child) >= n) continue;
      w.predecessors[size_t(child)].push_back(node);
      if (!seen[size_t(child)]) {
        seen[size_t(child)] = 1;
        stack.emplace_back(child, 0);
      }
    } else {
      w.postorder[size_t(node)] = int(w.order.size());
      w.order.push_back(node);
      stack.pop_back();
    }
  }
  return w;
}

std::vector<int> dominatorsOf(const HeapGraph& g, const Walk& w) {
  std::vector<int> idom(g.size(), -1);
  if (w.order.empty()) return idom;
  idom[size_t(g.root)] = g.root;
  auto intersect = [&](int a, int b) {
    while (a != b) {
      while (w.postorder[size_t(a)] < w.postorder[size_t(b)]) a = idom[size_t(a)];
      while (w.postorder[size_t(b)] < w.postorder[size_t(a)]) b = idom[size_t(b)];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = w.order.size(); k-- > 0;) {  // reverse postorder
      int node = w.order[k];
      if (node == g.root) continue;
      int dominator = -1;
      for (int p : w.predecessors[size_t(node)]) {
        if (w.postorder[size_t(p)] < 0 || idom[size_t(p)] < 0) continue;
        dominator = dominator < 0 ? p : intersect(p, dominator);
      }
      if (dominator >= 0 && idom[size_t(node)] != dominator) {
        idom[size_t(node)] = dominator;
        changed = true;
      }
    }
  }
  return idom;
}

}  // namespace

std::vector<int> immediateDominators(const HeapGraph& graph) { return dominatorsOf(graph, walkFromRoot(graph)); }

std::unordered_map<std::string, ClassRetention> retentionByClass(const HeapGraph& g, int64_t& objects, int64_t& bytes) {
  const Walk w = walkFromRoot(g);
  const std::vector<int> idom = dominatorsOf(g, w);
  // Retained sizes: each node's own bytes plus what it dominates (postorder: children first).
  std::vector<int64_t> retained(g.selfBytes);
  for (int node : w.order)
    if (node != g.root && idom[size_t(node)] >= 0) retained[size_t(idom[size_t(node)])] += retained[size_t(node)];

  std::unordered_map<std::string, ClassRetention> byClass;
  objects = bytes = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    int c = i < g.classOf.size() ? g.classOf[i] : -1;
    if (c < 0 || size_t(c) >= g.classNames.size()) continue;
    ClassRetention& summary = byClass[g.classNames[size_t(c)]];
    ++summary.objects;
    summary.selfBytes += g.selfBytes[i];
    ++objects;
    bytes += g.selfBytes[i];
    // Count an object's retained size unless an object of its own class already holds it.
    const bool reachable = w.postorder[i] >= 0 && idom[i] >= 0;
    bool heldBySameClass = false;
    for (int up = reachable ? idom[i] : g.root; up != g.root; up = idom[size_t(up)])
      if (size_t(up) < g.classOf.size() && g.classOf[size_t(up)] == c) {
        heldBySameClass = true;
        break;
      }
    if (reachable && !heldBySameClass) summary.retainedBytes += retained[i];
  }
  return byClass;
}

}  // namespace loopscope
