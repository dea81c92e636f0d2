#include "catalog/manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/yaml.h"
#include "catalog/backstage.h"
#include "catalog/openslo.h"

namespace plinth::catalog {

namespace {

namespace fs = std::filesystem;

struct Input {
  size_t index = 0;
  ManifestFile file;
};

// Turns ParseYaml's "FILE:LINE: message" into a located error.
SourceError YamlError(size_t index, const std::string& file, const std::string& message) {
  SourceError e{index, file, 1, "", message};
  std::string prefix = file + ":";
  if (message.starts_with(prefix)) {
    std::string rest = message.substr(prefix.size());
    size_t colon = rest.find(": ");
    if (colon != std::string::npos &&
        rest.find_first_not_of("0123456789") == colon && colon > 0) {
      e.line = std::stoi(rest.substr(0, colon));
      e.message = rest.substr(colon + 2);
    }
  }
  return e;
}

// A file whose top level is a sequence of documents (as the OpenSLO SDK writes them) holds one
// document per item; the items' lines stay those of the file.
std::vector<YamlDocument> SplitSequences(std::vector<YamlDocument> docs) {
  std::vector<YamlDocument> out;
  for (auto& doc : docs) {
    if (!doc.value.is_array()) {
      out.push_back(std::move(doc));
      continue;
    }
    for (size_t i = 0; i < doc.value.size(); ++i) {
      std::string prefix = "/" + std::to_string(i);
      YamlDocument item;
      item.value = std::move(doc.value[i]);
      item.line = doc.LineOf(prefix);
      for (const auto& [pointer, line] : doc.lines) {
        if (pointer == prefix || pointer.starts_with(prefix + "/")) {
          item.lines[pointer.substr(prefix.size())] = line;
        }
      }
      out.push_back(std::move(item));
    }
  }
  return out;
}

// A plinth/v1 document: validated here; references are checked later against the database.
void LoadPlinthDoc(const LoadedDoc& d, size_t order, std::vector<SourceError>& errors,
                   std::vector<std::pair<size_t, Manifest>>& out) {
  auto res = Canonicalize(d.yaml.value);
  if (!res.ok()) {
    for (const auto& f : res.error().fields) {
      errors.push_back({d.file_index, d.file, d.yaml.LineOf(f.pointer), f.pointer, f.message});
    }
    return;
  }
  Manifest m;
  m.kind = res->kind;
  m.name = res->name;
  m.doc = std::move(res->doc);
  m.refs = std::move(res->refs);
  for (auto& ref : m.refs) {
    ref.location = d.file + ":" + std::to_string(d.yaml.LineOf(ref.pointer));
  }
  m.file = d.file;
  m.line = d.yaml.LineOf("/metadata/name");
  m.source = m.kind;
  out.emplace_back(order, std::move(m));
}

Result<ManifestSet> Load(const std::vector<Input>& inputs, std::vector<SourceError> errors) {
  std::vector<SourceNote> notes;
  std::vector<std::pair<size_t, Manifest>> loaded;
  BackstageImporter backstage(errors, notes);
  OpensloImporter openslo(errors, notes);
  size_t order = 0;
  for (const auto& in : inputs) {
    auto docs = ParseYaml(in.file.text, in.file.name);
    if (!docs.ok()) {
      errors.push_back(YamlError(in.index, in.file.name, docs.error().message));
      continue;
    }
    for (auto& yaml : SplitSequences(std::move(*docs))) {
      LoadedDoc d{in.index, in.file.name, std::move(yaml)};
      const Json& v = d.yaml.value;
      ++order;
      if (!v.is_object()) {
        errors.push_back({in.index, in.file.name, d.yaml.line, "", "document must be a mapping"});
        continue;
      }
      auto api = v.find("apiVersion");
      if (api == v.end() || !api->is_string()) {
        errors.push_back({in.index, in.file.name, d.yaml.LineOf("/apiVersion"), "/apiVersion",
                          api == v.end() || api->is_null() ? "is required" : "must be a string"});
        continue;
      }
      const std::string& version = api->get_ref<const std::string&>();
      if (version == kApiVersion) {
        LoadPlinthDoc(d, order, errors, loaded);
      } else if (IsBackstageApiVersion(version)) {
        backstage.Add(std::move(d), order);
      } else if (version == kOpensloApiVersion) {
        openslo.Add(std::move(d), order);
      } else {
        errors.push_back({in.index, in.file.name, d.yaml.LineOf("/apiVersion"), "/apiVersion",
                          "unsupported apiVersion \"" + version + "\" (expected " +
                              std::string(kApiVersion) + ", " +
                              std::string(kBackstageApiVersion) + " or " +
                              std::string(kOpensloApiVersion) + ")"});
      }
    }
  }
  for (auto& item : backstage.Finish()) loaded.push_back(std::move(item));
  for (auto& [doc_order, d] : openslo.Finish()) LoadPlinthDoc(d, doc_order, errors, loaded);
  std::stable_sort(loaded.begin(), loaded.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  // Duplicates: the first definition wins, later ones are errors.
  std::map<std::pair<std::string, std::string>, const Manifest*> seen;
  std::map<std::string, size_t> file_index;
  for (const auto& in : inputs) file_index[in.file.name] = in.index;
  for (const auto& [_, m] : loaded) {
    auto [it, inserted] = seen.emplace(std::make_pair(m.kind, m.name), &m);
    if (inserted) continue;
    errors.push_back({file_index[m.file], m.file, m.line, "/metadata/name",
                      m.kind + " \"" + m.name + "\" is already defined at " +
                          it->second->Location()});
  }

  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
      return std::tie(a.file_index, a.line) < std::tie(b.file_index, b.line);
    });
    Error e = Error::Invalid(std::to_string(errors.size()) +
                             (errors.size() == 1 ? " problem" : " problems") +
                             " in the manifests");
    for (const auto& s : errors) {
      std::string location = s.line > 0 ? s.file + ":" + std::to_string(s.line) : s.file;
      e.fields.push_back({s.pointer, s.message, location});
    }
    return e;
  }
  ManifestSet set;
  for (auto& [_, m] : loaded) set.resources.push_back(std::move(m));
  std::stable_sort(notes.begin(), notes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.file_index, a.line) < std::tie(b.file_index, b.line);
  });
  for (auto& n : notes) set.notes.push_back(std::move(n.text));
  return set;
}

bool IsYamlFile(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

std::string Join(const std::string& dir, const std::string& rel) {
  if (dir.empty() || dir.back() == '/') return dir + rel;
  return dir + "/" + rel;
}

}  // namespace

Result<ManifestSet> LoadManifestFiles(const std::vector<ManifestFile>& files) {
  std::vector<Input> inputs;
  for (const auto& f : files) inputs.push_back({inputs.size(), f});
  return Load(inputs, {});
}

Result<ManifestSet> LoadManifests(const std::vector<std::string>& paths) {
  std::vector<SourceError> errors;
  std::vector<std::string> names;  // display names, in load order
  std::vector<fs::path> real;
  for (const auto& path : paths) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (fs::is_directory(status)) {
      std::vector<std::string> rels;
      fs::recursive_directory_iterator it(path, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && IsYamlFile(it->path())) {
          rels.push_back(fs::relative(it->path(), path, ec).generic_string());
        }
      }
      if (ec) {
        errors.push_back({names.size(), path, 0, "", "cannot read directory: " + ec.message()});
        continue;
      }
      std::sort(rels.begin(), rels.end());
      if (rels.empty()) {
        errors.push_back({names.size(), path, 0, "", "no .yaml or .yml files in this directory"});
      }
      for (const auto& rel : rels) {
        names.push_back(Join(path, rel));
        real.push_back(fs::path(path) / rel);
      }
    } else if (fs::is_regular_file(status)) {
      names.push_back(path);
      real.push_back(path);
    } else {
      errors.push_back({names.size(), path, 0, "", "no such file or directory"});
    }
  }
  std::vector<Input> inputs;
  for (size_t i = 0; i < names.size(); ++i) {
    std::ifstream in(real[i], std::ios::binary);
    if (!in.is_open()) {
      errors.push_back({i, names[i], 0, "", "cannot read file"});
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    inputs.push_back({i, {names[i], text.str()}});
  }
  return Load(inputs, std::move(errors));
}

}  // namespace plinth::catalog
