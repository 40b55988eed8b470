//! The concepts the analyzer knows. Their phrases are data (`data/knowledge/vocabulary.toml`);
//! the set of concepts is code, because the findings rules are written against it.

macro_rules! concepts {
    ($($variant:ident = $id:literal,)+) => {
        /// A concept of the operative-note vocabulary.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Concept {
            $($variant,)+
        }

        impl Concept {
            /// Every concept, in vocabulary order.
            pub const ALL: &'static [Concept] = &[$(Concept::$variant),+];

            /// How many concepts there are (for tables indexed by `concept as usize`).
            pub const COUNT: usize = Concept::ALL.len();

            /// The id used in the vocabulary file.
            pub fn id(self) -> &'static str {
                match self { $(Concept::$variant => $id,)+ }
            }

            /// The concept with a vocabulary id.
            pub fn from_id(id: &str) -> Option<Concept> {
                match id { $($id => Some(Concept::$variant),)+ _ => None }
            }
        }
    };
}

concepts! {
    Fusion = "fusion",
    InterbodyFusion = "interbody_fusion",
    Tlif = "tlif",
    Plif = "plif",
    Alif = "alif",
    LateralInterbody = "lateral_interbody",
    ObliqueInterbody = "oblique_interbody",
    Acdf = "acdf",
    Presacral = "presacral",
    PosterolateralFusion = "posterolateral_fusion",
    Decortication = "decortication",
    TransverseProcess = "transverse_process",
    Facet = "facet",
    Pars = "pars",
    DeformityCorrection = "deformity_correction",
    Osteotomy = "osteotomy",
    FractureReduction = "fracture_reduction",
    Odontoid = "odontoid",
    Discectomy = "discectomy",
    Microdiscectomy = "microdiscectomy",
    Laminectomy = "laminectomy",
    Laminotomy = "laminotomy",
    Foraminotomy = "foraminotomy",
    Facetectomy = "facetectomy",
    Decompression = "decompression",
    Laminoplasty = "laminoplasty",
    Corpectomy = "corpectomy",
    Arthroplasty = "arthroplasty",
    InterlaminarDevice = "interlaminar_device",
    Kyphoplasty = "kyphoplasty",
    Vertebroplasty = "vertebroplasty",
    SiFusion = "si_fusion",
    HardwareRemoval = "hardware_removal",
    Reinsertion = "reinsertion",
    Exploration = "exploration",
    PseudarthrosisRepair = "pseudarthrosis_repair",
    Revision = "revision",
    PedicleScrew = "pedicle_screw",
    Screw = "screw",
    LateralMassScrew = "lateral_mass_screw",
    Rod = "rod",
    Hook = "hook",
    Wire = "wire",
    Crosslink = "crosslink",
    Instrumentation = "instrumentation",
    Plate = "plate",
    OccipitalFixation = "occipital_fixation",
    Tether = "tether",
    Cage = "cage",
    StructuralAllograft = "structural_allograft",
    IntegralFixation = "integral_fixation",
    IliacFixation = "iliac_fixation",
    Cement = "cement",
    SiImplant = "si_implant",
    LocalAutograft = "local_autograft",
    IliacCrest = "iliac_crest",
    Tricortical = "tricortical",
    SeparateIncision = "separate_incision",
    Allograft = "allograft",
    Dbm = "dbm",
    Bmp = "bmp",
    BoneMarrowAspirate = "bone_marrow_aspirate",
    SyntheticGraft = "synthetic_graft",
    BoneGraft = "bone_graft",
    Navigation = "navigation",
    Robot = "robot",
    IntraopCt = "intraop_ct",
    Durotomy = "durotomy",
    StimulatorElectrode = "stimulator_electrode",
    Microscope = "microscope",
    Loupes = "loupes",
    Neuromonitoring = "neuromonitoring",
    Fluoroscopy = "fluoroscopy",
    CoSurgeon = "co_surgeon",
    Assistant = "assistant",
    Anterior = "anterior",
    Posterior = "posterior",
    Lateral = "lateral",
    Retroperitoneal = "retroperitoneal",
    Transperitoneal = "transperitoneal",
    Percutaneous = "percutaneous",
    MinimallyInvasive = "minimally_invasive",
    Endoscopic = "endoscopic",
    Thoracotomy = "thoracotomy",
    Transoral = "transoral",
    LateralExtracavitary = "lateral_extracavitary",
    DiscSpace = "disc_space",
    OrientedAnatomy = "oriented_anatomy",
    PriorSurgery = "prior_surgery",
    HardwarePart = "hardware_part",
    ThecalSac = "thecal_sac",
    ReturnToOr = "return_to_or",
    Complication = "complication",
    WoundWashout = "wound_washout",
    EpiduralAbscess = "epidural_abscess",
    EpiduralHematoma = "epidural_hematoma",
    SynovialCyst = "synovial_cyst",
    Scoliosis = "scoliosis",
    Kyphosis = "kyphosis",
    Spondylolisthesis = "spondylolisthesis",
    Stenosis = "stenosis",
    Herniation = "herniation",
    Pseudarthrosis = "pseudarthrosis",
    Fracture = "fracture",
    Tumor = "tumor",
    Myelopathy = "myelopathy",
    Radiculopathy = "radiculopathy",
}
