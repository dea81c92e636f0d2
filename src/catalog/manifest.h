#pragma once
// Loading catalog manifests: YAML files (or directories of them) holding plinth/v1 documents,
// Backstage (backstage.io/v1alpha1) catalog entities and OpenSLO (openslo/v1) documents, which
// are converted to plinth kinds. A file whose top level is a list holds one document per item.
//
// Every error names its source as `FILE:LINE: field.path: message`, e.g.
//   catalog/payments.yaml:12: spec.tier: must be an integer from 1 to 4
// where FILE is the path as given joined with the file's name relative to it, LINE the line of
// the offending field. All problems of all files are collected, sorted by file then line, and
// returned as one Error{kInvalid} whose fields carry location "FILE:LINE", pointer and message,
// so Error::ToString() prints exactly the lines above.
//
// Reference checks need the database and happen in Diff/Apply (apply.h); loading checks the
// schema, names, duplicates and Backstage conversion only.

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "catalog/model.h"

namespace plinth::catalog {

inline constexpr std::string_view kBackstageApiVersion = "backstage.io/v1alpha1";

// One resource defined by the files, in plinth form.
struct Manifest {
  std::string kind;  // plinth kind
  std::string name;  // plinth name
  Json doc;          // canonical plinth/v1 document
  std::vector<Reference> refs;  // with location and source pointer filled in
  std::string file;             // display name of the file, e.g. "catalog/payments.yaml"
  int line = 1;                 // line of the document's metadata.name
  std::string source;           // how it was written: "Service", or "backstage Component"

  std::string Location() const { return file + ":" + std::to_string(line); }
};

struct ManifestSet {
  std::vector<Manifest> resources;  // ordered by file, then position in the file
  // For a person: what the Backstage conversion did and what it ignored, one line each, e.g.
  //   backstage/artists-db-resource.yaml: Resource artists-db -> Service artists-db (type database)
  //   backstage/team-a-group.yaml:12: Group team-a: spec.parent "backstage" ignored (...)
  std::vector<std::string> notes;
};

// One input file held in memory: `name` is what errors call it.
struct ManifestFile {
  std::string name;
  std::string text;
};

// Each path is a file or a directory, read recursively for *.yaml and *.yml in sorted order.
// Files may hold several documents ("---"). Empty documents are skipped.
Result<ManifestSet> LoadManifests(const std::vector<std::string>& paths);

// The same for files already in memory (e.g. stdin), in the order given.
Result<ManifestSet> LoadManifestFiles(const std::vector<ManifestFile>& files);

}  // namespace plinth::catalog
